import type { Count, Report } from '../../app/reports/reports.ts';
import type { MessageKey, Translate } from '../../i18n/translate.ts';

/** One table of the reports page, also downloadable as CSV; `chart` marks the counts drawn beside it. */
export type ReportTable = {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  chart: boolean;
};

export const REPORT_TABLES = [
  'status',
  'channel',
  'reason',
  'activation',
  'review',
  'rejections',
  'deliveries',
  'money',
] as const;
export type ReportTableId = (typeof REPORT_TABLES)[number];

/** Amounts in major units with two decimals: the same in the table and in a spreadsheet. */
const major = (minor: number) => (minor / 100).toFixed(2);
const hours = (t: Translate, value: number | null) => (value === null ? '—' : t('reports.hours', { n: value }));

export function reportTables(report: Report, t: Translate): ReportTable[] {
  const counts = (id: ReportTableId, prefix: string, rows: Count[]): ReportTable => ({
    id,
    title: t(`reports.${id}` as MessageKey),
    columns: [t(`reports.${id}.key` as MessageKey), t('reports.count')],
    rows: rows.map((r) => [t(`${prefix}.${r.key}` as MessageKey), r.n]),
    chart: true,
  });
  const { activation: a, review: r, deliveries: d } = report;
  return [
    counts('status', 'staffStatus', report.byStatus),
    counts('channel', 'channel', report.byChannel),
    counts('reason', 'reason', report.byReason),
    {
      id: 'activation',
      title: t('reports.activation'),
      columns: [t('reports.measure'), t('reports.value')],
      rows: [
        [t('reports.activated'), a.count],
        [t('reports.median'), hours(t, a.medianHours)],
        [t('reports.p90'), hours(t, a.p90Hours)],
        [t('reports.target'), hours(t, a.targetHours)],
        [
          t('reports.withinTarget'),
          a.count ? `${a.withinTarget} (${Math.round((a.withinTarget / a.count) * 100)}%)` : '—',
        ],
      ],
      chart: false,
    },
    {
      id: 'review',
      title: t('reports.review'),
      columns: [t('reports.measure'), t('reports.value')],
      rows: [
        [t('reports.decided'), r.count],
        [t('reports.median'), hours(t, r.medianHours)],
        [t('reports.p90'), hours(t, r.p90Hours)],
      ],
      chart: false,
    },
    {
      id: 'rejections',
      title: t('reports.rejections'),
      columns: [t('reports.rejections.key'), t('reports.count')],
      rows: report.rejections.map((x) => [x.key || '—', x.n]),
      chart: true,
    },
    {
      id: 'deliveries',
      title: t('reports.deliveries'),
      columns: [t('reports.measure'), t('reports.count')],
      rows: [
        [t('reports.due'), d.due],
        [t('reports.onTime'), d.onTime],
        [t('reports.late'), d.deliveredLate],
        [t('reports.overdue'), d.overdue],
      ],
      chart: false,
    },
    {
      id: 'money',
      title: t('reports.money'),
      columns: [
        t('reports.method'),
        `${t('reports.collected')} (${report.currency})`,
        `${t('reports.refunded')} (${report.currency})`,
      ],
      rows: report.money.map((m) => [
        t(`pay.method.${m.method}` as MessageKey),
        major(m.collectedMinor),
        major(m.refundedMinor),
      ]),
      chart: false,
    },
  ];
}
