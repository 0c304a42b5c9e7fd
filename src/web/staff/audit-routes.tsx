import type { FastifyInstance } from 'fastify';
import type { AuditAnchor } from '../../app/audit/audit-log.ts';
import { type AuditFilters, actorNames, auditEntries } from '../../app/back-office/audit-view.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { AuditPage } from './audit-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; auditAnchor: AuditAnchor };

const text = (v: unknown, max = 100) => (typeof v === 'string' && v.trim() && v.length <= max ? v.trim() : undefined);

/** The operator's audit log for its administrators: filtered, newest first, each entry's place in the hash chain. */
export async function auditRoutes(app: FastifyInstance, { assets, demo, db, auditAnchor }: Options) {
  app.get('/staff/audit', { preHandler: staffOnly(['admin']) }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const filters: AuditFilters = Object.fromEntries(
      Object.entries({
        action: text(query.action),
        request: text(query.request, 20),
        line: text(query.line, 30),
        from: text(query.from, 10),
        to: text(query.to, 10),
        actorId: text(query.actorId, 36),
      }).filter(([, v]) => v !== undefined),
    );
    const { entries, brokenAt, checkpoint } = await auditEntries(db, auditAnchor, request.operator, filters);
    const actors = await actorNames(db, request.operator.id, entries);
    const ctx = pageContext(request, assets, demo);
    const page = (
      <AuditPage
        ctx={ctx}
        staff={request.staff as StaffSession}
        filters={filters}
        entries={entries}
        brokenAt={brokenAt}
        checkpoint={checkpoint}
        actors={actors}
      />
    );
    return sendPage(reply, page);
  });
}
