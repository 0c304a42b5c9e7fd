import type { ESIM_PROGRESS } from '../../app/requests/esim-orders.ts';
import type { NETWORK_CONFIRMED } from '../../app/requests/network-confirmation.ts';
import type { TimelineEvent } from '../../app/requests/request-status.ts';
import type { RequestEventType } from '../../domain/request-machine.ts';
import { formatDateTime } from '../../i18n/translate.ts';
import type { PageContext } from './page-context.ts';

/** A request's timeline, oldest first, in the operator's time zone; subscribers and staff read the same. */
export function Timeline({ ctx, events }: { ctx: PageContext; events: TimelineEvent[] }) {
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={e.createdAt.toISOString()}>{formatDateTime(ctx.locale, e.createdAt, zone)}</time>{' '}
          <TimelineText ctx={ctx} event={e} />
        </li>
      ))}
    </ol>
  );
}

function TimelineText({ ctx, event }: { ctx: PageContext; event: TimelineEvent }) {
  const { t } = ctx;
  const data = event.data as Record<string, string | undefined>;
  const type = event.type as
    | RequestEventType
    | typeof NETWORK_CONFIRMED
    | (typeof ESIM_PROGRESS)[keyof typeof ESIM_PROGRESS];
  const key =
    type === 'approve' && event.toStatus === 'second_review'
      ? 'timeline.first_approval'
      : (`timeline.${type}` as const);
  const detail =
    type === 'dispatch'
      ? t('timeline.dispatch.detail', {
          carrier: data.carrier ?? '',
          tracking: data.trackingNumber ?? '',
          from: data.expectedFrom ?? '',
          to: data.expectedTo ?? '',
        })
      : type === 'reject' || type === 'request_info' || type === 'fail'
        ? (data.reason ?? data.note ?? null)
        : null;
  return (
    <>
      {t(key)}
      {detail && `: ${detail}`}
    </>
  );
}
