import { eq } from 'drizzle-orm';
import { verifyAuditLog } from '../app/audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { operators } from '../db/schema/operators.ts';
import { CliError } from './import-command.ts';
import type { Terminal } from './terminal.ts';

/** `simdesk audit verify`: 0 and the count when the chain is whole, 1 and the first broken entry when not. */
export async function auditReport(db: Db, operatorSlug: string | undefined, term: Terminal): Promise<number> {
  let operatorId: string | undefined;
  if (operatorSlug) {
    const [operator] = await db.select({ id: operators.id }).from(operators).where(eq(operators.slug, operatorSlug));
    if (!operator) throw new CliError(`unknown operator "${operatorSlug}"`);
    operatorId = operator.id;
  }
  const check = await verifyAuditLog(db, operatorId);
  const scope = check.operatorRows === null ? '' : ` (${check.operatorRows} of them ${operatorSlug}'s)`;
  if (check.brokenAt === null) {
    term.out(`Audit log intact: ${check.rows} entries verified${scope}.`);
    return 0;
  }
  const what =
    check.problem === 'edited'
      ? 'its content was changed after it was written'
      : 'the entry before it was deleted, or entries were inserted or reordered';
  term.err(`Audit log broken at entry ${check.brokenAt} (position ${check.position} of ${check.rows}): ${what}.`);
  return 1;
}
