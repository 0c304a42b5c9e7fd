/**
 * Risk signals of a SIM replacement request, the patterns SIM-swap fraud leaves: fresh
 * credential or contact changes, failed sign-ins, a recent swap, a name that is not the
 * owner's, a document that is not the contract's, a SIM-change lock just lifted, one request
 * after another. Each adds to a 0–100 score; from the operator's threshold on, two reviewers must agree.
 */
export const RISK_SIGNALS = {
  password_changed_recently: 30,
  contacts_changed_recently: 30,
  failed_sign_ins: 20,
  recent_sim_change: 25,
  name_mismatch: 20,
  document_mismatch: 25,
  blocked_just_before: 10,
  lock_lifted_recently: 30,
  many_requests: 15,
} as const;
export type RiskSignal = keyof typeof RISK_SIGNALS;

export type RiskInput = {
  passwordChangedAt: Date | null;
  contactsChangedAt: Date | null;
  failedSignInsLastDay: number;
  lastSimChangeAt: Date | null;
  blockedAt: Date | null;
  /** When the SIM-change lock last ended (its release time, once passed), or null. */
  lockLiftedAt: Date | null;
  /** The account's other requests submitted in the last 30 days. */
  recentRequests: number;
  accountName: string;
  contactName: string;
  /** The document uploaded is not the one the contract was signed with (false when either is unknown). */
  documentMismatch: boolean;
  now: Date;
};

const DAY = 86_400_000;
const within = (date: Date | null, ms: number, now: Date) => date !== null && now.getTime() - date.getTime() < ms;
const normalName = (name: string) =>
  name.toLocaleLowerCase('ru').replace(/ё/g, 'е').split(/\s+/).filter(Boolean).sort().join(' ');

export function assessRisk(input: RiskInput): { score: number; signals: RiskSignal[] } {
  const { now } = input;
  const signals: RiskSignal[] = [];
  if (within(input.passwordChangedAt, 7 * DAY, now)) signals.push('password_changed_recently');
  if (within(input.contactsChangedAt, 7 * DAY, now)) signals.push('contacts_changed_recently');
  if (input.failedSignInsLastDay >= 3) signals.push('failed_sign_ins');
  if (within(input.lastSimChangeAt, 30 * DAY, now)) signals.push('recent_sim_change');
  if (normalName(input.accountName) !== normalName(input.contactName)) signals.push('name_mismatch');
  if (input.documentMismatch) signals.push('document_mismatch');
  if (within(input.blockedAt, 3_600_000, now)) signals.push('blocked_just_before');
  if (input.lockLiftedAt !== null && input.lockLiftedAt <= now && within(input.lockLiftedAt, 7 * DAY, now))
    signals.push('lock_lifted_recently');
  if (input.recentRequests >= 2) signals.push('many_requests');
  const score = Math.min(
    100,
    signals.reduce((sum, s) => sum + RISK_SIGNALS[s], 0),
  );
  return { score, signals };
}
