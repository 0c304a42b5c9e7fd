import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lineByMsisdn } from '../../../app/api/api-reads.ts';
import { type CenterListing, centerDirectory } from '../../../app/centers/center-directory.ts';
import { bookVisit, centerSlots, type VisitError, visitById } from '../../../app/centers/visits.ts';
import type { Db } from '../../../db/client.ts';
import { LOCALES } from '../../../db/schema/columns.ts';
import { APPOINTMENT_STATUSES } from '../../../db/schema/requests.ts';
import { parseMsisdn } from '../../../domain/msisdn.ts';
import { authorized, needs } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { created, IdempotencyKey, idempotent, type Outcome, problem, uuidFrom } from './idempotent.ts';
import { sendProblem } from './problems.ts';
import { PhoneNumber, problems } from './schemas.ts';

const TAGS = ['Service centers'];
const Text = z.object({ ru: z.string(), en: z.string(), zh: z.string() }).meta({ id: 'LocalizedText' });
const Timestamp = z.iso.datetime({ offset: true });

const Center = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: Text,
    city: Text,
    address: Text,
    latitude: z.number(),
    longitude: z.number(),
    timeZone: z.string(),
    phone: z.string(),
    offersEsim: z.boolean(),
    offersPickup: z.boolean(),
    openNow: z.boolean(),
    closesAt: Timestamp.nullable(),
    opensAt: Timestamp.nullable(),
    weeklyHours: z.array(z.object({ weekday: z.number().int().min(1).max(7), opens: z.string(), closes: z.string() })),
    stock: z.object({ physical: z.number().int(), esim: z.number().int() }),
    distanceKm: z.number().nullable(),
  })
  .meta({ id: 'ServiceCenter' });

const centerBody = (l: CenterListing): z.infer<typeof Center> => ({
  id: l.center.id,
  code: l.center.code,
  name: l.center.name,
  city: l.center.city,
  address: l.center.address,
  latitude: l.center.latitude,
  longitude: l.center.longitude,
  timeZone: l.center.timeZone,
  phone: l.center.phone,
  offersEsim: l.center.offersEsim,
  offersPickup: l.center.offersPickup,
  openNow: l.status.open,
  closesAt: l.status.open ? l.status.closesAt.toISOString() : null,
  opensAt: !l.status.open && l.status.opensAt ? l.status.opensAt.toISOString() : null,
  weeklyHours: l.schedule.weekly,
  stock: l.stock,
  distanceKm: l.distanceKm,
});

const Slots = z
  .object({
    center: Center,
    days: z.array(
      z.object({
        date: z.iso.date(),
        slots: z.array(z.object({ startsAt: Timestamp, endsAt: Timestamp, free: z.number().int() })),
      }),
    ),
  })
  .meta({ id: 'CenterSlots' });

const Visit = z
  .object({
    id: z.uuid(),
    ticket: z.string().meta({ example: 'V-4K7M2QX' }),
    centerCode: z.string(),
    startsAt: Timestamp,
    endsAt: Timestamp,
    status: z.enum(APPOINTMENT_STATUSES),
  })
  .meta({ id: 'Visit' });

const NewVisit = z
  .object({
    startsAt: Timestamp.describe('One of the slots of GET /centers/{code}/slots'),
    name: z.string().min(1).max(200),
    phone: z.string().max(40).describe('Where the ticket and the reminder are sent by SMS'),
    email: z.email().max(200).optional(),
    locale: z.enum(LOCALES).default('ru'),
    phoneNumber: PhoneNumber.optional().describe("The subscriber's line to be replaced, when the visitor is one"),
  })
  .meta({ id: 'NewVisit' });

const VISIT_PROBLEMS: Partial<Record<VisitError, [number, string]>> = {
  'visit.center_not_found': [404, 'center-not-found'],
  'visit.slot_unavailable': [422, 'slot-unavailable'],
  'visit.slot_full': [409, 'slot-full'],
  'visit.too_many_active': [409, 'too-many-visits'],
};

/** The operator's service centers as the public finder shows them, their visit slots, and booking one. */
export async function centerRoutes(app: FastifyInstance, { db, links, onOutboxWrite, now }: ApiOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/centers',
    {
      config: authorized('centers:read'),
      schema: {
        tags: TAGS,
        summary: 'Active service centers with hours, open now, stock at the counter and distance',
        security: needs('centers:read'),
        querystring: z.object({
          search: z.string().max(100).optional().describe('Part of a name, city, address or code'),
          latitude: z.coerce.number().min(-90).max(90).optional(),
          longitude: z.coerce.number().min(-180).max(180).optional(),
        }),
        response: { 200: z.object({ items: z.array(Center) }), ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { search, latitude, longitude } = request.query;
      const from = latitude !== undefined && longitude !== undefined ? { latitude, longitude } : null;
      const listings = await centerDirectory(db, request.operator.id, {
        now: now(),
        from,
        ...(search ? { search } : {}),
      });
      return { items: listings.map(centerBody) };
    },
  );

  api.get(
    '/centers/:code/slots',
    {
      config: authorized('centers:read'),
      schema: {
        tags: TAGS,
        summary: "A center's visit slots for the next days with the places left",
        security: needs('centers:read'),
        params: z.object({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) }),
        response: { 200: Slots, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const found = await centerSlots(db, request.operator.id, request.params.code, now());
      if (!found) return sendProblem(request, reply, 404, 'center-not-found', 'No such active center.');
      return {
        center: centerBody(found.listing),
        days: found.days.map((d) => ({
          date: d.date,
          slots: d.slots.map((s) => ({
            startsAt: s.startsAt.toISOString(),
            endsAt: s.endsAt.toISOString(),
            free: s.free,
          })),
        })),
      };
    },
  );

  api.post(
    '/centers/:code/visits',
    {
      config: authorized('requests:write'),
      schema: {
        tags: TAGS,
        summary: 'Book a visit for a subscriber or visitor; the ticket goes to their phone by SMS',
        security: needs('requests:write'),
        headers: IdempotencyKey,
        params: z.object({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) }),
        body: NewVisit,
        response: { 201: Visit, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (key): Promise<Outcome> => {
        const id = uuidFrom(key);
        const made = await visitOf(db, request.operator.id, id);
        if (made) return created(made);
        const body = request.body;
        const phone = parseMsisdn(body.phone);
        if (!phone.ok)
          return problem(422, 'validation-failed', 'The phone number cannot be accepted.', [
            { pointer: '/body/phone', code: phone.error, detail: request.t(phone.error) },
          ]);
        const line = body.phoneNumber ? await lineByMsisdn(db, request.operator.id, body.phoneNumber) : null;
        if (body.phoneNumber && !line) return problem(404, 'line-not-found', 'The operator has no such number.');
        const booked = await bookVisit(
          db,
          links,
          request.operator.id,
          request.params.code,
          new Date(body.startsAt),
          {
            name: body.name,
            phone: phone.value,
            email: body.email ?? null,
            lineMsisdn: body.phoneNumber ?? null,
            locale: body.locale,
            ...(line ? { accountId: line.accountId } : {}),
          },
          now(),
          id,
        );
        if (!booked.ok) {
          const [status, code] = VISIT_PROBLEMS[booked.error] ?? [422, 'visit-refused'];
          return problem(status, code, request.t(booked.error));
        }
        onOutboxWrite();
        return created(await visitOf(db, request.operator.id, id));
      }),
  );
}

async function visitOf(db: Db, operatorId: string, id: string) {
  const visit = await visitById(db, operatorId, id);
  return visit
    ? {
        id: visit.id,
        ticket: visit.ticket,
        centerCode: visit.center.code,
        startsAt: visit.startsAt.toISOString(),
        endsAt: visit.endsAt.toISOString(),
        status: visit.status,
      }
    : null;
}
