import { eq } from 'drizzle-orm';
import { type AuditAnchor, verifyAuditLog } from '../app/audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { operators } from '../db/schema/operators.ts';
import { CliError } from './import-command.ts';
import type { Terminal } from './terminal.ts';

const CHECKPOINT_PROBLEMS = {
  rewritten: 'entries up to it were changed, added or removed and the hashes recomputed',
  truncated: 'the log now ends before it: the newest entries were deleted',
  forged: 'it was not signed with the audit key: forged or altered',
} as const;

/**
 * `simdesk audit verify`: 0 and the count when the chain is whole and matches every signed
 * checkpoint, 1 and the first broken entry or checkpoint when not.
 */
export async function auditReport(
  db: Db,
  anchor: AuditAnchor,
  operatorSlug: string | undefined,
  term: Terminal,
): Promise<number> {
  let operatorId: string | undefined;
  if (operatorSlug) {
    const [operator] = await db.select({ id: operators.id }).from(operators).where(eq(operators.slug, operatorSlug));
    if (!operator) throw new CliError(`unknown operator "${operatorSlug}"`);
    operatorId = operator.id;
  }
  const check = await verifyAuditLog(db, anchor, operatorId);
  const scope = check.operatorRows === null ? '' : ` (${check.operatorRows} of them ${operatorSlug}'s)`;
  const found = check.checkpointProblem;
  if (found)
    term.err(
      `Audit log does not match its checkpoint of ${found.checkpoint.at} (entry ${found.checkpoint.lastId}, ${found.checkpoint.rows} entries): ${CHECKPOINT_PROBLEMS[found.problem]}.`,
    );
  if (check.brokenAt === null && !found) {
    term.out(
      `Audit log intact: ${check.rows} entries verified${scope}, matching ${check.checkpoints} signed checkpoints.`,
    );
    return 0;
  }
  if (check.brokenAt === null) return 1;
  const what =
    check.problem === 'edited'
      ? 'its content was changed after it was written'
      : 'the entry before it was deleted, or entries were inserted or reordered';
  term.err(`Audit log broken at entry ${check.brokenAt} (position ${check.position} of ${check.rows}): ${what}.`);
  return 1;
}
