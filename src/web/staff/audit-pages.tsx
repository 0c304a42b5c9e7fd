import type { AuditEntryView, AuditFilters } from '../../app/back-office/audit-view.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import type { CheckpointFinding } from '../../domain/audit-chain.ts';
import { formatDateTime } from '../../i18n/translate.ts';
import { Layout } from '../shared/layout.tsx';
import type { PageContext } from '../shared/page-context.ts';
import { StaffMenu } from './review-pages.tsx';

function Filter({ name, label, value, type = 'text' }: { name: string; label: string; value?: string; type?: string }) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input id={name} name={name} type={type as 'text'} value={value ?? ''} />
    </div>
  );
}

export function AuditPage({
  ctx,
  staff,
  filters,
  entries,
  brokenAt,
  checkpoint,
  actors,
}: {
  ctx: PageContext;
  staff: StaffSession;
  filters: AuditFilters;
  entries: AuditEntryView[];
  brokenAt: number | null;
  checkpoint: CheckpointFinding | null;
  actors: Map<string, string>;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <Layout ctx={ctx} title={t('audit.title')} nav={<StaffMenu ctx={ctx} staff={staff} />}>
      <h1>{t('audit.title')}</h1>
      <p class={brokenAt === null && checkpoint === null ? 'notice' : 'tag warning'} role="status">
        {brokenAt === null ? t('audit.chain.intact') : t('audit.chain.broken', { id: brokenAt })}
        {checkpoint &&
          ` ${t(`audit.checkpoint.${checkpoint.problem}`, {
            at: formatDateTime(locale, new Date(checkpoint.checkpoint.at), zone),
            id: checkpoint.checkpoint.lastId,
          })}`}
      </p>
      <form method="get" action="/staff/audit" class="filters">
        <Filter name="action" label={t('audit.filter.action')} value={filters.action} />
        <Filter name="request" label={t('audit.filter.request')} value={filters.request} />
        <Filter name="line" label={t('audit.filter.line')} value={filters.line} />
        <Filter name="from" label={t('audit.filter.from')} value={filters.from} type="date" />
        <Filter name="to" label={t('audit.filter.to')} value={filters.to} type="date" />
        <button type="submit" class="button secondary">
          {t('review.filter.apply')}
        </button>
      </form>
      {entries.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <ul class="lines">
          {entries.map((e) => (
            <li key={e.id} class="line-card">
              <h2 class="card-title breakable">{e.action}</h2>
              {e.chain !== 'verified' && <p class="tag warning">{t(`audit.status.${e.chain}`)}</p>}
              <dl>
                <dt>{t('audit.when')}</dt>
                <dd>{formatDateTime(locale, e.createdAt, zone)}</dd>
                <dt>{t('audit.actor')}</dt>
                <dd class="breakable">
                  {t(`audit.actorKind.${e.actorKind}`)}
                  {e.actorId ? ` ${actors.get(e.actorId) ?? e.actorId.slice(0, 8)}` : ''}
                </dd>
                {e.targetKind && (
                  <>
                    <dt>{t('audit.target')}</dt>
                    <dd class="breakable">
                      {e.targetKind} {e.targetId?.slice(0, 8)}
                    </dd>
                  </>
                )}
                <dt>{t('audit.entry')}</dt>
                <dd>
                  #{e.id} {e.chain === 'verified' ? t('audit.status.verified') : ''}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
