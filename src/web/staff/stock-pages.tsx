import type { OpenTransfer, TransferProblem } from '../../app/back-office/transfers.ts';
import type { ImportSummary } from '../../app/import/csv-import.ts';
import type { StaffSession } from '../../app/staff/staff-sessions.ts';
import { formatDateTime, isMessageKey, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField, ProblemSummary } from '../shared/form.tsx';
import type { PageContext } from '../shared/page-context.ts';
import type { Place } from './inventory-pages.tsx';
import { Check, Choice, TextArea } from './settings-controls.tsx';

export type TransferForm = { from: string; to: string; iccids: string };

/** Sending cards between places and receiving the ones on their way, part of the inventory page. */
export function Transfers({
  ctx,
  staff,
  places,
  open,
  typed,
  problem,
  lineProblems,
}: {
  ctx: PageContext;
  staff: StaffSession;
  places: Place[];
  open: OpenTransfer[];
  typed: TransferForm;
  problem: MessageKey | null;
  lineProblems: TransferProblem[];
}) {
  const { t } = ctx;
  const options = places.map((p): [string, string] => [p.id ?? '', p.name]);
  return (
    <section aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">{t('transfer.title')}</h2>
      <TransferList
        ctx={ctx}
        staff={staff}
        open={open}
        receiveAt={(id) => `/staff/inventory/transfers/${id}/receive`}
      />
      <h3>{t('transfer.send')}</h3>
      <ProblemSummary t={t} problem={problem} />
      {lineProblems.length > 0 && (
        <div class="error-summary" role="alert">
          <ul>
            {lineProblems.map((p) => (
              <li key={p.line}>{t('transfer.line', { line: p.line, problem: t(p.problem) })}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/staff/inventory/transfers" novalidate>
        <CsrfField token={staff.csrfToken} />
        <Choice ctx={ctx} name="from" label={t('transfer.from')} errors={{}} value={typed.from} options={options} />
        <Choice ctx={ctx} name="to" label={t('transfer.to')} errors={{}} value={typed.to} options={options} />
        <TextArea
          ctx={ctx}
          name="iccids"
          label={t('transfer.iccids')}
          hint={t('transfer.iccidsHint')}
          errors={lineProblems.length ? { iccids: 'transfer.fix_lines' } : {}}
          value={typed.iccids}
        />
        <button type="submit" class="button">
          {t('transfer.send')}
        </button>
      </form>
    </section>
  );
}

/** The upload form of a supplier's stock file; with JavaScript a progress bar follows the upload. */
export function StockUpload({ ctx, staff }: { ctx: PageContext; staff: StaffSession }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t('stockImport.title')}</h2>
      <p>{t('stockImport.lead')}</p>
      <form
        method="post"
        action="/staff/inventory/import"
        enctype="multipart/form-data"
        data-upload-progress
        novalidate
      >
        <CsrfField token={staff.csrfToken} />
        <Check ctx={ctx} name="allOrNothing" label={t('stockImport.allOrNothing')} errors={{}} checked={false} />
        <div class="field">
          <label for="file">{t('stockImport.file')}</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <progress value="0" max="100" hidden data-progress>
          0%
        </progress>
        <p role="status" aria-live="polite" data-progress-text />
        <button type="submit" class="button">
          {t('stockImport.upload')}
        </button>
      </form>
    </section>
  );
}

/** What the import did: counts, and each refused row by its line number. */
export function ImportResult({
  ctx,
  summary,
  problem,
}: {
  ctx: PageContext;
  summary: ImportSummary | null;
  problem: string | null;
}) {
  const { t } = ctx;
  if (!summary) return <ProblemSummary t={t} problem={(problem ?? 'stockImport.no_file') as MessageKey} />;
  const ok = summary.rejectedCount === 0;
  return (
    <div class={ok ? 'notice' : 'error-summary'} role={ok ? 'status' : 'alert'}>
      <h2>
        {summary.rolledBack ? t('stockImport.rolledBack') : t('stockImport.done', { imported: summary.imported })}
      </h2>
      <p>{t('stockImport.counts', { read: summary.read, rejected: summary.rejectedCount })}</p>
      {summary.rejected.length > 0 && (
        <ul>
          {summary.rejected.map((r) => (
            <li key={r.line}>
              {t('transfer.line', { line: r.line, problem: isMessageKey(r.reason) ? t(r.reason) : r.reason })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Transfers on their way, each with the button that puts its cards in stock where they arrived. */
export function TransferList({
  ctx,
  staff,
  open,
  receiveAt,
}: {
  ctx: PageContext;
  staff: StaffSession;
  open: OpenTransfer[];
  receiveAt: (transferId: string) => string;
}) {
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const name = (n: Record<string, string> | null) => (n ? (n[locale] ?? n.ru) : t('inventory.warehouse'));
  if (open.length === 0) return null;
  return (
    <ul class="lines">
      {open.map((x) => (
        <li key={x.id} class="line-card">
          <h3 class="card-title">
            {name(x.from)} → {name(x.to)}
          </h3>
          <p>
            {t('transfer.cards', { n: x.cards })} · {formatDateTime(locale, x.createdAt, zone)}
          </p>
          <form method="post" action={receiveAt(x.id)}>
            <CsrfField token={staff.csrfToken} />
            <button type="submit" class="button secondary">
              {t('transfer.receive')}
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}
