import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CenterListing, centerDirectory } from '../../../app/centers/center-directory.ts';
import { centerSlots } from '../../../app/centers/visits.ts';
import { authorized, needs } from './api-token.ts';
import type { ApiOptions } from './api-v1.ts';
import { sendProblem } from './problems.ts';
import { problems } from './schemas.ts';

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

/** The operator's service centers as the public finder shows them, and their bookable visit slots. */
export async function centerRoutes(app: FastifyInstance, { db, now }: ApiOptions) {
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
        params: z.object({ code: z.string().max(40) }),
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
}
