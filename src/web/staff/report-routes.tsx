import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { operatorReport, type Period } from '../../app/reports/reports.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { Db } from '../../db/client.ts';
import { translator } from '../../i18n/translate.ts';
import { type Assets, pageContext, sendPage } from '../render.ts';
import { csvFile } from '../shared/csv.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { BarChart } from './bar-chart.tsx';
import { REPORT_TABLES, type ReportTable, reportTables } from './report-tables.ts';
import { StaffMenu } from './review-pages.tsx';
import { staffOnly } from './staff-session.ts';

type Options = { assets: Assets; demo: boolean; db: Db; now: () => Date };
type Query = { Querystring: { from?: string; to?: string } };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period asked for, or the last 30 days in the operator's time zone; a reversed or over-long one is put right. */
function periodOf(query: Query['Querystring'], timeZone: string, now: Date): Period & { today: string } {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate() as string;
  const valid = (v: string | undefined) => (v && DAY.test(v) && DateTime.fromISO(v).isValid ? v : null);
  const to = valid(query.to) ?? today;
  const from = valid(query.from) ?? (DateTime.fromISO(to).minus({ days: 29 }).toISODate() as string);
  return from <= to ? { from, to, today } : { from: to, to: from, today };
}

function ReportsPage({
  ctx,
  staff,
  period,
  tables,
}: {
  ctx: PageContext;
  staff: StaffSession;
  period: Period;
  tables: ReportTable[];
}) {
  const { t } = ctx;
  const query = `from=${period.from}&to=${period.to}`;
  return (
    <Layout ctx={ctx} title={t('reports.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('reports.title')}</h1>
      <p>{t('reports.lead')}</p>
      <form method="get" action="/staff/reports" class="actions">
        <div class="field">
          <label for="from">{t('reports.from')}</label>
          <input id="from" name="from" type="date" value={period.from} />
        </div>
        <div class="field">
          <label for="to">{t('reports.to')}</label>
          <input id="to" name="to" type="date" value={period.to} />
        </div>
        <button type="submit" class="button">
          {t('reports.show')}
        </button>
      </form>
      {tables.map((table) => (
        <section key={table.id} class="report-section" aria-labelledby={`${table.id}-heading`}>
          <h2 id={`${table.id}-heading`}>{table.title}</h2>
          <div class={table.chart && table.rows.length > 0 ? 'report-pair' : undefined}>
            {table.chart && table.rows.length > 0 && (
              <BarChart
                id={`chart-${table.id}`}
                title={table.title}
                bars={table.rows.map(([label, value]) => ({ label: String(label), value: Number(value) }))}
              />
            )}
            <section class="table-scroll" aria-label={table.title} tabindex={0}>
              <table class="table">
                <caption class="visually-hidden">{table.title}</caption>
                <thead>
                  <tr>
                    {table.columns.map((c, i) => (
                      <th key={c} scope="col" class={i > 0 ? 'number' : undefined}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.length === 0 ? (
                    <tr>
                      <td colSpan={table.columns.length}>{t('reports.none')}</td>
                    </tr>
                  ) : (
                    table.rows.map((row) => (
                      <tr key={String(row[0])}>
                        {row.map((cell, i) => (
                          <td key={`${i}-${cell}`} class={i > 0 ? 'number' : undefined}>
                            {cell}
                          </td>
                        ))}
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </section>
          </div>
          <p>
            <a href={`/staff/reports/${table.id}.csv?${query}`} download>
              {t('reports.csv', { title: table.title })}
            </a>
          </p>
        </section>
      ))}
    </Layout>
  );
}

/** Reports for administrators and reviewers: each figure as a chart and a table, each table as CSV. */
export async function reportRoutes(app: FastifyInstance, { assets, demo, db, now }: Options) {
  const guard = staffOnly(['admin', 'reviewer']);
  const load = async (request: FastifyRequest<Query>) => {
    const period = periodOf(request.query, request.operator.timeZone, now());
    const report = await operatorReport(db, request.operator.id, period, period.today);
    return { period, report };
  };
  /** The money collected and refunded is the administrators' business; reviewers see the work. */
  const visible = (request: FastifyRequest, tables: ReportTable[]) =>
    (request.staff as StaffSession).roles.includes('admin') ? tables : tables.filter((x) => x.id !== 'money');
  app.get<Query>('/staff/reports', { preHandler: guard }, async (request, reply) => {
    const ctx = pageContext(request, assets, demo);
    const { period, report } = await load(request);
    const tables = visible(request, reportTables(report, ctx.t));
    return sendPage(
      reply,
      <ReportsPage ctx={ctx} staff={request.staff as StaffSession} period={period} tables={tables} />,
    );
  });
  app.get<Query & { Params: { table: string } }>(
    '/staff/reports/:table',
    { preHandler: guard },
    async (request, reply) => {
      const id = request.params.table.replace(/\.csv$/, '');
      if (!request.params.table.endsWith('.csv') || !REPORT_TABLES.some((t) => t === id)) return reply.callNotFound();
      const { period, report } = await load(request);
      const ctx = pageContext(request, assets, demo);
      const table = visible(request, reportTables(report, translator(ctx.locale))).find((x) => x.id === id);
      if (!table) return reply.callNotFound();
      const csv = csvFile([table.columns, ...table.rows]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${request.operator.slug}-${id}-${period.from}-${period.to}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
}
