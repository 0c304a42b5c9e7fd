import { stringify } from 'csv-stringify/sync';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return
 * first, as OWASP lists them) gets a leading apostrophe, so `=HYPERLINK(…)` typed as a rejection
 * reason is shown, never followed. Numbers stay numbers.
 */
export function inertCell(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The rows as a CSV file every spreadsheet opens in UTF-8 (with a byte-order mark), every text cell inert. */
export function csvFile(rows: unknown[][]): string {
  return `\uFEFF${stringify(rows.map((row) => row.map(inertCell)))}`;
}
