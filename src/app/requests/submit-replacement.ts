import { and, count, eq, gt, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { operators } from '../../db/schema/operators.ts';
import { replacementRequests } from '../../db/schema/requests.ts';
import { loginAttempts } from '../../db/schema/security.ts';
import { accounts, lines } from '../../db/schema/subscribers.ts';
import { sameDocument } from '../../domain/identity-check.ts';
import { formatMsisdn } from '../../domain/msisdn.ts';
import type { Ineligibility } from '../../domain/online-eligibility.ts';
import { nextStep } from '../../domain/replacement-wizard.ts';
import type { RequestStatus } from '../../domain/request-machine.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { assessRisk } from '../../domain/risk.ts';
import { formatDateTime, translator } from '../../i18n/translate.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Links } from '../operators/links.ts';
import { loadOperatorProfile } from '../operators/operator-profile.ts';
import { enqueue } from '../outbox/outbox.ts';
import { openSecret } from '../secret-box.ts';
import { transact } from '../transact.ts';
import { quoteAnswers } from './fee-quote.ts';
import { type DraftDocument, loadDraft, replacementIneligibility, type SubscriberActor } from './replacement-draft.ts';
import { applyRequestEvent } from './request-transitions.ts';
import { wasntMeLink } from './wasnt-me.ts';

export type SubmitError =
  | 'draft.not_found'
  | 'draft.incomplete'
  | 'draft.changed'
  | 'fee.no_rule'
  | Ineligibility['reason'];

/**
 * Submits a complete draft: the fee is fixed from the operator's table, the risk scored, the
 * status moved by the state machine and written to the timeline, and every contact of the
 * account told, with a link to stop it, all in one transaction.
 */
export async function submitReplacement(
  db: Db,
  links: Links,
  /** Opens the document numbers, to compare the one uploaded with the contract's. */
  documentKey: Buffer,
  actor: SubscriberActor,
  requestId: string,
  now = new Date(),
): Promise<Result<{ reference: string; status: RequestStatus }, SubmitError>> {
  return transact(db, async (tx) => {
    const draft = await loadDraft(tx, actor, requestId);
    if (!draft) return err('draft.not_found' as const);
    const { request, answers } = draft;
    const { account, operator, line } = (await requestParties(tx, actor.accountId, request.lineId)) as Parties;
    const profile = await loadOperatorProfile(tx, operator);
    if (nextStep(answers, profile.offer) !== 'check') return err('draft.incomplete' as const);
    const refusal = await replacementIneligibility(tx, actor, now);
    if (refusal) return err(refusal.reason);
    const quote = quoteAnswers(profile, answers, draft.previousReplacements, now);
    if (!quote.ok) return err(quote.error);

    const { risk, fourEyes } = await scoreRequest(tx, documentKey, {
      account,
      operator,
      line,
      requestId: request.id,
      contactName: answers.contactName ?? '',
      document: draft.document,
      now,
    });
    const applied = await applyRequestEvent(
      tx,
      request,
      { type: 'submit', feeMinor: quote.value.totalMinor, fourEyes },
      { kind: 'subscriber', id: actor.accountId },
      now,
      {
        feeMinor: quote.value.totalMinor,
        currency: operator.currency,
        feeItems: quote.value.items,
        riskScore: risk.score,
        riskSignals: risk.signals,
        fourEyes,
        submittedAt: now,
      },
      { feeMinor: quote.value.totalMinor, currency: operator.currency },
    );
    if (!applied.ok) return err('draft.changed' as const);
    const status = applied.value.state.status;
    await appendAudit(
      tx,
      {
        operatorId: actor.operatorId,
        actorKind: 'subscriber',
        actorId: actor.accountId,
        action: 'request.submit',
        targetKind: 'replacement_request',
        targetId: request.id,
        ip: actor.ip,
        data: { reference: request.reference, riskScore: risk.score, signals: risk.signals },
      },
      now,
    );
    await notifyEveryContact(tx, {
      operatorId: actor.operatorId,
      requestId: request.id,
      reference: request.reference,
      msisdn: line.msisdn,
      account,
      operatorName: operator.name[account.locale],
      timeZone: operator.timeZone,
      link: wasntMeLink(links, operator, request.id),
      now,
    });
    return ok({ reference: request.reference, status });
  });
}

/** Whether the document uploaded differs from the contract's; unknown (no document on either side) is not a mismatch. */
type Parties = {
  account: typeof accounts.$inferSelect;
  operator: typeof operators.$inferSelect;
  line: typeof lines.$inferSelect;
};

/** The account a request is for, with its operator and the line being replaced. */
export async function requestParties(tx: Tx, accountId: string, lineId: string): Promise<Parties | undefined> {
  const [row] = await tx
    .select({ account: accounts, operator: operators, line: lines })
    .from(accounts)
    .innerJoin(operators, eq(operators.id, accounts.operatorId))
    .innerJoin(lines, eq(lines.id, lineId))
    .where(eq(accounts.id, accountId));
  return row;
}

/**
 * The request's risk as review sees it, with whether it needs four eyes: scored at submission
 * and again whenever its document changes (a new scan after "more information"), so the
 * document-mismatch signal cannot be dodged by sending the right passport first.
 */
export async function scoreRequest(
  tx: Tx,
  documentKey: Buffer,
  s: Parties & {
    requestId: string;
    contactName: string;
    document: DraftDocument | null;
    now: Date;
  },
) {
  const { account, line, now } = s;
  const risk = assessRisk({
    passwordChangedAt: account.passwordChangedAt,
    contactsChangedAt: account.contactsChangedAt,
    failedSignInsLastDay: await failedSignIns(tx, account.id, now),
    lastSimChangeAt: line.lastSimChangeAt,
    blockedAt: line.blockedAt,
    lockLiftedAt: account.simChangeLock ? account.lockReleaseAt : null,
    recentRequests: await recentRequests(tx, account.id, s.requestId, now),
    accountName: account.fullName,
    contactName: s.contactName,
    documentMismatch: documentMismatch(documentKey, account, s.document),
    now,
  });
  return { risk, fourEyes: risk.score >= s.operator.fourEyesRiskThreshold };
}

function documentMismatch(
  documentKey: Buffer,
  account: typeof accounts.$inferSelect,
  uploaded: DraftDocument | null,
): boolean {
  if (!uploaded || !account.documentType || !account.documentNumberEncrypted) return false;
  const shown = {
    docType: uploaded.docType,
    docNumber: openSecret(documentKey, uploaded.numberEncrypted, uploaded.id),
  };
  const onFile = {
    docType: account.documentType,
    docNumber: openSecret(documentKey, account.documentNumberEncrypted, account.id),
  };
  return !sameDocument(shown, onFile);
}

async function failedSignIns(tx: Tx, accountId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.accountId, accountId),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.createdAt, new Date(now.getTime() - 86_400_000)),
      ),
    );
  return row?.n ?? 0;
}

/**
 * The FCC rule: tell the customer about every SIM change request, on every channel, including
 * the number itself, in case the person asking is not the owner.
 */
export async function notifyEveryContact(
  tx: Tx,
  n: {
    operatorId: string;
    requestId: string;
    reference: string;
    msisdn: string;
    account: typeof accounts.$inferSelect;
    operatorName: string;
    timeZone: string;
    link: string;
    now: Date;
  },
) {
  const t = translator(n.account.locale);
  const values = { operator: n.operatorName, msisdn: formatMsisdn(n.msisdn), reference: n.reference, link: n.link };
  const sms = t('notify.request.sms', values);
  const key = (channel: string) => `request-submitted:${n.requestId}:${channel}`;
  if (n.account.email)
    await enqueue(tx, {
      operatorId: n.operatorId,
      topic: 'email.send',
      payload: {
        to: n.account.email,
        subject: t('notify.request.subject', values),
        text: t('notify.request.email', { ...values, when: formatDateTime(n.account.locale, n.now, n.timeZone) }),
      },
      idempotencyKey: key('email'),
    });
  if (n.account.secondPhone)
    await enqueue(tx, {
      operatorId: n.operatorId,
      topic: 'sms.send',
      payload: { to: n.account.secondPhone, text: sms },
      idempotencyKey: key('second-phone'),
    });
  await enqueue(tx, {
    operatorId: n.operatorId,
    topic: 'sms.send',
    payload: { to: n.msisdn, text: sms },
    idempotencyKey: key('line'),
  });
}

/** The account's other requests submitted in the last 30 days. */
async function recentRequests(tx: Tx, accountId: string, requestId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(replacementRequests)
    .where(
      and(
        eq(replacementRequests.accountId, accountId),
        ne(replacementRequests.id, requestId),
        gt(replacementRequests.submittedAt, new Date(now.getTime() - 30 * 86_400_000)),
      ),
    );
  return row?.n ?? 0;
}
