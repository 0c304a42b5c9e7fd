/** One CSV line for COPY: null is an empty unquoted field, text is quoted when it needs to be. */
export function csvLine(fields: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (i > 0) line += ',';
    if (f === null || f === undefined) continue;
    line += f === '' || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
  }
  return `${line}\n`;
}
