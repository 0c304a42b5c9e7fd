import type { Delivery } from './replacement.ts';
import { err, ok, type Result } from './result.ts';

/**
 * The replacement request state machine: every status change of a request goes through
 * `applyEvent`, which consults the single transition table below.
 */

export const REQUEST_STATUSES = [
  'draft',
  'awaiting_payment',
  'in_review',
  'needs_info',
  'second_review',
  'approved',
  'sim_assigned',
  'dispatched',
  'returned',
  'delivered',
  'ready_for_pickup',
  'frozen',
  'activated',
  'rejected',
  'cancelled',
  'failed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RequestStatus[] = ['activated', 'rejected', 'cancelled', 'failed'];

export type RequestContext = {
  delivery: Delivery;
  feeMinor: number;
  paid: boolean;
  /** Set by risk scoring: approval needs two different reviewers unless the check is in person. */
  fourEyes: boolean;
  approvers: string[];
  approvedInPerson: boolean;
  simId: string | null;
};

export type RequestState = { status: RequestStatus; context: RequestContext };

export type RequestEvent =
  | { type: 'submit'; feeMinor: number; fourEyes: boolean }
  | { type: 'payment_succeeded' }
  | { type: 'payment_failed' }
  | { type: 'request_info'; note: string }
  | { type: 'info_provided' }
  | { type: 'approve'; by: string; inPerson: boolean }
  | { type: 'reject'; reason: string }
  | { type: 'assign_sim'; simId: string }
  | { type: 'dispatch'; carrier: string; trackingNumber: string }
  | { type: 'mark_ready' }
  | { type: 'delivery_failed' }
  | { type: 'restock' }
  | { type: 'deliver' }
  | { type: 'activate' }
  | { type: 'fail'; reason: string }
  | { type: 'cancel' }
  | { type: 'freeze' }
  | { type: 'unfreeze' };

export type RequestEventType = RequestEvent['type'];

/** Side effects the caller must carry out (through the outbox) when a transition is applied. */
export type Effect = 'refund' | 'release_sim' | 'order_esim';

export type TransitionError =
  | 'transition.not_allowed'
  | 'transition.payment_required'
  | 'transition.same_reviewer'
  | 'transition.sim_already_assigned'
  | 'transition.no_sim'
  | 'transition.wrong_delivery';

type EventOf<T extends RequestEventType> = Extract<RequestEvent, { type: T }>;

type Transition<T extends RequestEventType> = {
  from: readonly RequestStatus[];
  to: RequestStatus | ((ctx: RequestContext, event: EventOf<T>) => RequestStatus);
  guard?: (ctx: RequestContext, event: EventOf<T>, from: RequestStatus) => TransitionError | null;
  update?: (ctx: RequestContext, event: EventOf<T>) => Partial<RequestContext>;
};

const OPEN_BEFORE_DISPATCH: readonly RequestStatus[] = [
  'draft',
  'awaiting_payment',
  'in_review',
  'needs_info',
  'second_review',
  'approved',
  'sim_assigned',
  'ready_for_pickup',
  'returned',
];
const NOT_TERMINAL = REQUEST_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));
const UNDER_REVIEW: readonly RequestStatus[] = ['in_review', 'needs_info', 'second_review'];
const HOLDING_SIM: readonly RequestStatus[] = [
  'sim_assigned',
  'dispatched',
  'returned',
  'delivered',
  'ready_for_pickup',
];

/** Activation straight from sim_assigned is only for SIMs handed over or downloaded on the spot. */
const HANDED_OVER_AT_ONCE: readonly Delivery[] = ['esim', 'counter'];

const settled = (ctx: RequestContext) => ctx.paid || ctx.feeMinor === 0;
const whenDelivery =
  (...allowed: Delivery[]) =>
  (ctx: RequestContext): TransitionError | null =>
    allowed.includes(ctx.delivery) ? null : 'transition.wrong_delivery';

const TRANSITIONS: { [T in RequestEventType]: Transition<T> } = {
  submit: {
    from: ['draft'],
    to: (_ctx, e) => (e.feeMinor > 0 ? 'awaiting_payment' : 'in_review'),
    update: (_ctx, e) => ({ feeMinor: e.feeMinor, fourEyes: e.fourEyes }),
  },
  payment_succeeded: { from: ['awaiting_payment'], to: 'in_review', update: () => ({ paid: true }) },
  payment_failed: { from: ['awaiting_payment'], to: 'awaiting_payment' },
  request_info: { from: ['in_review', 'second_review'], to: 'needs_info', update: () => ({ approvers: [] }) },
  info_provided: { from: ['needs_info'], to: 'in_review' },
  approve: {
    from: ['in_review', 'second_review'],
    guard: (ctx, e) => {
      if (!settled(ctx)) return 'transition.payment_required';
      if (ctx.approvers.includes(e.by)) return 'transition.same_reviewer';
      return null;
    },
    to: (ctx, e) => (ctx.fourEyes && !e.inPerson && ctx.approvers.length === 0 ? 'second_review' : 'approved'),
    update: (ctx, e) => ({ approvers: [...ctx.approvers, e.by], approvedInPerson: ctx.approvedInPerson || e.inPerson }),
  },
  reject: { from: UNDER_REVIEW, to: 'rejected' },
  assign_sim: {
    from: ['approved'],
    guard: (ctx) => (ctx.simId === null ? null : 'transition.sim_already_assigned'),
    to: 'sim_assigned',
    update: (_ctx, e) => ({ simId: e.simId }),
  },
  dispatch: { from: ['sim_assigned', 'returned'], guard: whenDelivery('courier'), to: 'dispatched' },
  mark_ready: { from: ['sim_assigned'], guard: whenDelivery('pickup'), to: 'ready_for_pickup' },
  delivery_failed: { from: ['dispatched'], to: 'returned' },
  // The returned card went back to the shelf (or was found defective): the request waits for another card.
  restock: { from: ['returned'], to: 'approved', update: () => ({ simId: null }) },
  // A pickup handed over at the counter without activating it there waits, like a delivered card, for the subscriber.
  deliver: { from: ['dispatched', 'ready_for_pickup'], to: 'delivered' },
  activate: {
    from: ['sim_assigned', 'delivered', 'ready_for_pickup'],
    guard: (ctx, _e, from) => {
      if (from === 'sim_assigned' && !HANDED_OVER_AT_ONCE.includes(ctx.delivery)) return 'transition.wrong_delivery';
      if (ctx.simId === null) return 'transition.no_sim';
      if (!settled(ctx)) return 'transition.payment_required';
      return null;
    },
    to: 'activated',
  },
  fail: { from: HOLDING_SIM, to: 'failed' },
  // A frozen request is cancelled when staff confirm the fraud or the owner replaces the SIM in person.
  cancel: { from: [...OPEN_BEFORE_DISPATCH, 'frozen'], to: 'cancelled' },
  // A draft was never sent, so there is nothing to stop: "This wasn't me" only freezes submitted requests.
  freeze: {
    from: NOT_TERMINAL.filter((s) => s !== 'frozen' && s !== 'draft'),
    to: 'frozen',
    update: () => ({ approvers: [], simId: null }),
  },
  unfreeze: { from: ['frozen'], to: (ctx) => (settled(ctx) ? 'in_review' : 'awaiting_payment') },
};

export type Applied = { state: RequestState; effects: Effect[] };

export function applyEvent(state: RequestState, event: RequestEvent): Result<Applied, TransitionError> {
  const t = TRANSITIONS[event.type] as Transition<RequestEventType>;
  if (!t.from.includes(state.status)) return err('transition.not_allowed');
  const guardError = t.guard?.(state.context, event as never, state.status);
  if (guardError) return err(guardError);
  const status = typeof t.to === 'function' ? t.to(state.context, event as never) : t.to;
  const context = { ...state.context, ...t.update?.(state.context, event as never) };
  return ok({ state: { status, context }, effects: effectsOf(state, status) });
}

function effectsOf(before: RequestState, after: RequestStatus): Effect[] {
  const effects: Effect[] = [];
  const endsUnfulfilled = after === 'cancelled' || after === 'rejected' || after === 'failed';
  if (endsUnfulfilled && before.context.paid) effects.push('refund');
  const restocked = before.status === 'returned' && after === 'approved';
  const releases = endsUnfulfilled || after === 'frozen' || restocked;
  if (releases && before.context.simId !== null) effects.push('release_sim');
  // An approved eSIM replacement gets a fresh profile from the SM-DP+ (see esim-orders.ts).
  if (after === 'approved' && before.status !== 'returned' && before.context.delivery === 'esim')
    effects.push('order_esim');
  return effects;
}

export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Events that could be accepted from this status (guards aside), e.g. to decide which buttons to show. */
export function eventsFrom(status: RequestStatus): RequestEventType[] {
  return (Object.keys(TRANSITIONS) as RequestEventType[]).filter((type) => TRANSITIONS[type].from.includes(status));
}

export function newRequest(delivery: Delivery): RequestState {
  return {
    status: 'draft',
    context: {
      delivery,
      feeMinor: 0,
      paid: false,
      fourEyes: false,
      approvers: [],
      approvedInPerson: false,
      simId: null,
    },
  };
}
