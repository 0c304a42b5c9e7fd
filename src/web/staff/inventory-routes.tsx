import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { findSim, stockOverview, stockPlaces } from '../../app/back-office/inventory.ts';
import { openTransfers, receiveTransfer, sendTransfer, type TransferProblem } from '../../app/back-office/transfers.ts';
import { HeaderError, type ImportSummary } from '../../app/import/csv-import.ts';
import { importStock } from '../../app/import/inventory.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Database } from '../../db/client.ts';
import type { MessageKey } from '../../i18n/translate.ts';
import { sameToken } from '../plugins/csrf.ts';
import { UUID } from '../portal/routes/subscriber-context.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { formRoute, line, text } from '../shared/form-schema.ts';
import { InventoryPage } from './inventory-pages.tsx';
import { staffOnly } from './staff-session.ts';
import { ImportResult, StockUpload, type TransferForm, Transfers } from './stock-pages.tsx';

const UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

type Options = { assets: Assets; demo: boolean; database: Database };
type Shown = {
  notice?: ComponentChildren;
  typed?: TransferForm;
  problem?: MessageKey | null;
  lineProblems?: TransferProblem[];
  status?: number;
};

/**
 * Stock by place, kind and status; one SIM by its ICCID; transfers between places; and a
 * supplier's stock file uploaded from the browser into the same importer as the CLI's.
 */
export async function inventoryRoutes(app: FastifyInstance, { assets, demo, database }: Options) {
  const { db } = database;
  const guard = staffOnly(['logistics', 'admin']);
  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 4, fieldSize: 200, parts: 6 },
  });
  const actor = (request: FastifyRequest) => {
    const staff = request.staff as StaffSession;
    return { operatorId: staff.operatorId, staffId: staff.staffId, ip: request.ip };
  };

  const page = async (request: FastifyRequest, reply: FastifyReply, search: string, shown: Shown = {}) => {
    const operatorId = request.operator.id;
    const ctx = pageContext(request, assets, demo);
    const staff = request.staff as StaffSession;
    const [stock, centers, found, open] = await Promise.all([
      stockOverview(db, operatorId),
      stockPlaces(db, operatorId),
      search ? findSim(db, operatorId, search) : Promise.resolve(null),
      openTransfers(db, operatorId),
    ]);
    const places = [
      { id: null, name: ctx.t('inventory.warehouse') },
      ...centers.map((c) => ({ id: c.id, name: c.name[ctx.locale] })),
    ];
    return sendPage(
      reply,
      <InventoryPage
        ctx={ctx}
        staff={staff}
        places={places}
        stock={stock}
        search={search}
        found={found}
        notice={shown.notice}
      >
        <Transfers
          ctx={ctx}
          staff={staff}
          places={places}
          open={open}
          typed={shown.typed ?? { from: '', to: centers[0]?.id ?? '', iccids: '' }}
          problem={shown.problem ?? null}
          lineProblems={shown.lineProblems ?? []}
        />
        <StockUpload ctx={ctx} staff={staff} />
      </InventoryPage>,
      shown.status ?? 200,
    );
  };
  const done = (message: string) => (
    <div class="notice" role="status">
      <p>{message}</p>
    </div>
  );

  app.get<{ Querystring: { iccid?: string; sent?: string; received?: string } }>(
    '/staff/inventory',
    { preHandler: guard },
    (request, reply) => {
      const search = typeof request.query.iccid === 'string' ? request.query.iccid.trim().slice(0, 30) : '';
      const { t } = pageContext(request, assets, demo);
      const count = (v: string | undefined) => (v && /^\d{1,6}$/.test(v) ? Number(v) : null);
      const sent = count(request.query.sent);
      const received = count(request.query.received);
      const notice =
        sent !== null
          ? done(t('transfer.sent', { n: sent }))
          : received !== null
            ? done(t('transfer.received', { n: received }))
            : undefined;
      return page(request, reply, search, { notice });
    },
  );

  app.post<{ Body: { from?: string; to?: string; iccids?: string } }>(
    '/staff/inventory/transfers',
    { ...formRoute({ from: line(40), to: line(40), iccids: text(100_000) }), preHandler: guard },
    async (request, reply) => {
      const typed = { from: request.body?.from ?? '', to: request.body?.to ?? '', iccids: request.body?.iccids ?? '' };
      const placeOf = (v: string) => (v === '' ? null : UUID.test(v) ? v : 'unknown');
      const from = placeOf(typed.from);
      const to = placeOf(typed.to);
      const sent =
        from === 'unknown' || to === 'unknown'
          ? ({ ok: false, error: 'transfer.unknown_place' } as const)
          : await sendTransfer(db, actor(request), { from, to, iccids: typed.iccids });
      if (sent.ok) return reply.redirect(`/staff/inventory?sent=${sent.value.cards}`, 303);
      const shown = Array.isArray(sent.error)
        ? { lineProblems: sent.error, problem: null }
        : { problem: sent.error as MessageKey, lineProblems: [] };
      return page(request, reply, '', { typed, ...shown, status: 400 });
    },
  );

  app.post<{ Params: { transferId: string } }>(
    '/staff/inventory/transfers/:transferId/receive',
    { ...formRoute({}), preHandler: guard },
    async (request, reply) => {
      if (!UUID.test(request.params.transferId)) return reply.callNotFound();
      const received = await receiveTransfer(db, actor(request), request.params.transferId);
      return received.ok ? reply.redirect(`/staff/inventory?received=${received.value}`, 303) : reply.callNotFound();
    },
  );

  // The file is streamed into the importer as it arrives, so the CSRF field must come before it (it does in the form).
  app.post(
    '/staff/inventory/import',
    // Signed-in staff are checked before the body is read, so a stranger never gets to send a file.
    { config: { accepts: ['multipart/form-data'], csrf: false }, onRequest: guard },
    async (request, reply) => {
      const staff = request.staff as StaffSession;
      const fields: Record<string, string> = {};
      let summary: ImportSummary | null = null;
      let problem: MessageKey | null = null;
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (!sameToken(fields._csrf ?? '', staff.csrfToken)) {
          part.file.resume();
          return reply.status(403).send();
        }
        if (!part.filename) {
          part.file.resume();
          continue;
        }
        try {
          summary = await importStock(database, actor(request), part.file, {
            allOrNothing: fields.allOrNothing === 'on',
            maxReported: 200,
          });
          if (part.file.truncated) [summary, problem] = [null, 'stockImport.too_large'];
        } catch (error) {
          part.file.resume();
          if (error instanceof HeaderError) problem = 'stockImport.header';
          else if ((error as { code?: string }).code?.startsWith('CSV_')) problem = 'stockImport.unreadable';
          else throw error;
        }
      }
      if (!sameToken(fields._csrf ?? '', staff.csrfToken)) return reply.status(403).send();
      const ctx = pageContext(request, assets, demo);
      const notice = <ImportResult ctx={ctx} summary={summary} problem={problem} />;
      return page(request, reply, '', { notice, status: summary && summary.rejectedCount === 0 ? 200 : 400 });
    },
  );
}
