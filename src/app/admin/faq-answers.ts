import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { faqEntries } from '../../db/schema/operators.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { requireRole, type StaffActor } from '../requests/staff-step.ts';
import { transact } from '../transact.ts';
import { auditChange } from './audited-change.ts';
import { type FormProblems, problemsOf } from './form-values.ts';

const question = z.string().trim().min(5, 'admin.invalid.question').max(300, 'admin.invalid.question');
const answer = z.string().trim().min(5, 'admin.invalid.answer').max(4_000, 'admin.invalid.answer');

/** Every entry is written in all three languages, so the FAQ is complete whichever one a visitor reads. */
const entryForm = z.object({
  questionRu: question,
  questionEn: question,
  questionZh: question,
  answerRu: answer,
  answerEn: answer,
  answerZh: answer,
});

export function addFaqEntry(
  db: Db,
  staff: StaffActor,
  form: Record<string, string | undefined>,
  now = new Date(),
): Promise<Result<string, FormProblems>> {
  const parsed = entryForm.safeParse(form);
  if (!parsed.success) return Promise.resolve(err(problemsOf(parsed.error)));
  const f = parsed.data;
  const entry = {
    question: { ru: f.questionRu, en: f.questionEn, zh: f.questionZh },
    answer: { ru: f.answerRu, en: f.answerEn, zh: f.answerZh },
  };
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [last] = await tx
      .select({ position: sql<number>`coalesce(max(${faqEntries.position}), 0)` })
      .from(faqEntries)
      .where(eq(faqEntries.operatorId, staff.operatorId));
    const [row] = await tx
      .insert(faqEntries)
      .values({ operatorId: staff.operatorId, position: (last?.position ?? 0) + 1, ...entry })
      .returning({ id: faqEntries.id });
    const id = (row as { id: string }).id;
    await auditChange(tx, staff, 'faq.entry_added', { kind: 'faq_entry', id }, null, entry, now);
    return ok(id);
  });
}

export function removeFaqEntry(
  db: Db,
  staff: StaffActor,
  entryId: string,
  now = new Date(),
): Promise<Result<true, 'admin.not_found'>> {
  return transact(db, async (tx) => {
    await requireRole(tx, staff, ['admin']);
    const [row] = await tx
      .delete(faqEntries)
      .where(and(eq(faqEntries.operatorId, staff.operatorId), eq(faqEntries.id, entryId)))
      .returning();
    if (!row) return err('admin.not_found' as const);
    const before = { question: row.question, answer: row.answer };
    await auditChange(tx, staff, 'faq.entry_removed', { kind: 'faq_entry', id: entryId }, before, null, now);
    return ok(true as const);
  });
}
