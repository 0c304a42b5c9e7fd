import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERIES, type Delivery } from './replacement.ts';
import {
  type Applied,
  applyEvent,
  eventsFrom,
  isTerminal,
  newRequest,
  REQUEST_STATUSES,
  type RequestEvent,
  type RequestEventType,
  type RequestState,
  TERMINAL_STATUSES,
} from './request-machine.ts';

function run(delivery: Delivery, events: RequestEvent[]): Applied {
  let applied: Applied = { state: newRequest(delivery), effects: [] };
  for (const event of events) {
    const r = applyEvent(applied.state, event);
    if (!r.ok) throw new Error(`${event.type} from ${applied.state.status}: ${r.error}`);
    applied = r.value;
  }
  return applied;
}

const paidAndApproved: RequestEvent[] = [
  { type: 'submit', feeMinor: 30000, fourEyes: false },
  { type: 'payment_succeeded' },
  { type: 'approve', by: 'reviewer-1', inPerson: false },
  { type: 'assign_sim', simId: 'sim-1' },
];

describe('request journeys', () => {
  it('courier: paid, reviewed, dispatched, delivered, activated', () => {
    const { state } = run('courier', [
      ...paidAndApproved,
      { type: 'dispatch', carrier: 'cdek', trackingNumber: 'T1' },
      { type: 'deliver' },
      { type: 'activate' },
    ]);
    expect(state.status).toBe('activated');
  });

  it('courier: a failed delivery returns the SIM and it can be dispatched again', () => {
    const { state } = run('courier', [
      ...paidAndApproved,
      { type: 'dispatch', carrier: 'cdek', trackingNumber: 'T1' },
      { type: 'delivery_failed' },
      { type: 'dispatch', carrier: 'cdek', trackingNumber: 'T2' },
    ]);
    expect(state.status).toBe('dispatched');
  });

  it('courier: a returned card put back on the shelf lets another card be reserved', () => {
    const { state } = run('courier', [
      ...paidAndApproved,
      { type: 'dispatch', carrier: 'cdek', trackingNumber: 'T1' },
      { type: 'delivery_failed' },
      { type: 'restock' },
    ]);
    expect(state).toMatchObject({ status: 'approved', context: { simId: null } });
    expect(applyEvent(state, { type: 'assign_sim', simId: 'sim-2' })).toMatchObject({ ok: true });
    const returned = run('courier', [
      ...paidAndApproved,
      { type: 'dispatch', carrier: 'cdek', trackingNumber: 'T1' },
      { type: 'delivery_failed' },
    ]).state;
    expect(applyEvent(returned, { type: 'restock' })).toMatchObject({ ok: true, value: { effects: ['release_sim'] } });
  });

  it('pickup: ready at the center, activated at handover', () => {
    const { state } = run('pickup', [...paidAndApproved, { type: 'mark_ready' }, { type: 'activate' }]);
    expect(state.status).toBe('activated');
  });

  it('eSIM with zero fee skips payment and activates once the profile is assigned', () => {
    const { state } = run('esim', [
      { type: 'submit', feeMinor: 0, fourEyes: false },
      { type: 'approve', by: 'reviewer-1', inPerson: false },
      { type: 'assign_sim', simId: 'profile-1' },
      { type: 'activate' },
    ]);
    expect(state.status).toBe('activated');
  });

  it('counter: passport checked in person counts as approval even for high risk', () => {
    const { state } = run('counter', [
      { type: 'submit', feeMinor: 30000, fourEyes: true },
      { type: 'payment_succeeded' },
      { type: 'approve', by: 'agent-1', inPerson: true },
      { type: 'assign_sim', simId: 'sim-1' },
      { type: 'activate' },
    ]);
    expect(state.status).toBe('activated');
    expect(state.context.approvedInPerson).toBe(true);
  });

  it('four eyes: a risky request needs a second, different reviewer', () => {
    const first = run('courier', [
      { type: 'submit', feeMinor: 0, fourEyes: true },
      { type: 'approve', by: 'reviewer-1', inPerson: false },
    ]);
    expect(first.state.status).toBe('second_review');
    expect(applyEvent(first.state, { type: 'approve', by: 'reviewer-1', inPerson: false })).toEqual({
      ok: false,
      error: 'transition.same_reviewer',
    });
    const second = applyEvent(first.state, { type: 'approve', by: 'reviewer-2', inPerson: false });
    expect(second.ok && second.value.state.status).toBe('approved');
  });

  it('needs info, then back to review', () => {
    const { state } = run('courier', [
      { type: 'submit', feeMinor: 0, fourEyes: false },
      { type: 'request_info', note: 'photo is blurred' },
      { type: 'info_provided' },
    ]);
    expect(state.status).toBe('in_review');
  });

  it('cancelling a paid request with a SIM refunds and releases the SIM', () => {
    const r = applyEvent(run('pickup', paidAndApproved).state, { type: 'cancel' });
    expect(r).toMatchObject({
      ok: true,
      value: { state: { status: 'cancelled' }, effects: ['refund', 'release_sim'] },
    });
  });

  it('rejection refunds; an unpaid rejection does not', () => {
    const paid = run('courier', paidAndApproved.slice(0, 2)).state;
    expect(applyEvent(paid, { type: 'reject', reason: 'document mismatch' })).toMatchObject({
      value: { effects: ['refund'] },
    });
    const free = run('courier', [{ type: 'submit', feeMinor: 0, fourEyes: false }]).state;
    expect(applyEvent(free, { type: 'reject', reason: 'fraud' })).toMatchObject({ value: { effects: [] } });
  });

  it('cannot be cancelled once dispatched', () => {
    const dispatched = run('courier', [...paidAndApproved, { type: 'dispatch', carrier: 'c', trackingNumber: 't' }]);
    expect(applyEvent(dispatched.state, { type: 'cancel' })).toEqual({ ok: false, error: 'transition.not_allowed' });
  });

  it('"This wasn\'t me" freezes, releases the SIM, and unfreezing sends it back to review', () => {
    const frozen = applyEvent(run('courier', paidAndApproved).state, { type: 'freeze' });
    expect(frozen).toMatchObject({ ok: true, value: { state: { status: 'frozen' }, effects: ['release_sim'] } });
    if (!frozen.ok) return;
    const back = applyEvent(frozen.value.state, { type: 'unfreeze' });
    expect(back.ok && back.value.state).toMatchObject({ status: 'in_review', context: { simId: null, approvers: [] } });
  });

  it('refuses approval before payment and activation of a courier SIM before delivery', () => {
    const unpaid = run('courier', [{ type: 'submit', feeMinor: 100, fourEyes: false }]).state;
    expect(applyEvent({ ...unpaid, status: 'in_review' }, { type: 'approve', by: 'r', inPerson: false })).toEqual({
      ok: false,
      error: 'transition.payment_required',
    });
    expect(applyEvent(run('courier', paidAndApproved).state, { type: 'activate' })).toEqual({
      ok: false,
      error: 'transition.wrong_delivery',
    });
  });

  it('allows exactly these events from each status (the transition table, pinned)', () => {
    const table: Record<string, string[]> = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, eventsFrom(s).sort()]));
    expect(table).toEqual({
      draft: ['cancel', 'submit'],
      awaiting_payment: ['cancel', 'freeze', 'payment_failed', 'payment_succeeded'],
      in_review: ['approve', 'cancel', 'freeze', 'reject', 'request_info'],
      needs_info: ['cancel', 'freeze', 'info_provided', 'reject'],
      second_review: ['approve', 'cancel', 'freeze', 'reject', 'request_info'],
      approved: ['assign_sim', 'cancel', 'freeze'],
      sim_assigned: ['activate', 'cancel', 'dispatch', 'fail', 'freeze', 'mark_ready'],
      dispatched: ['deliver', 'delivery_failed', 'fail', 'freeze'],
      returned: ['cancel', 'dispatch', 'fail', 'freeze', 'restock'],
      delivered: ['activate', 'fail', 'freeze'],
      ready_for_pickup: ['activate', 'cancel', 'deliver', 'fail', 'freeze'],
      frozen: ['cancel', 'unfreeze'],
      activated: [],
      rejected: [],
      cancelled: [],
      failed: [],
    });
    expect(REQUEST_STATUSES.filter(isTerminal)).toEqual(['activated', 'rejected', 'cancelled', 'failed']);
    expect(TERMINAL_STATUSES).toEqual(['activated', 'rejected', 'cancelled', 'failed']);
  });

  it('names the reason a guarded step is refused', () => {
    const assigned = run('courier', paidAndApproved).state;
    const approved = { ...assigned, status: 'approved' as const };
    expect(applyEvent(approved, { type: 'assign_sim', simId: 'sim-2' })).toEqual({
      ok: false,
      error: 'transition.sim_already_assigned',
    });
    const delivered = { ...assigned, status: 'delivered' as const };
    expect(applyEvent({ ...delivered, context: { ...delivered.context, simId: null } }, { type: 'activate' })).toEqual({
      ok: false,
      error: 'transition.no_sim',
    });
    expect(applyEvent({ ...delivered, context: { ...delivered.context, paid: false } }, { type: 'activate' })).toEqual({
      ok: false,
      error: 'transition.payment_required',
    });
    expect(applyEvent(assigned, { type: 'mark_ready' })).toEqual({ ok: false, error: 'transition.wrong_delivery' });
    const pickup = run('pickup', paidAndApproved).state;
    expect(applyEvent(pickup, { type: 'dispatch', carrier: 'c', trackingNumber: 't' })).toEqual({
      ok: false,
      error: 'transition.wrong_delivery',
    });
    expect(applyEvent(pickup, { type: 'mark_ready' })).toMatchObject({ ok: true });
  });

  it('a failed payment keeps waiting; asking for information forgets earlier approvals', () => {
    const waiting = run('courier', [{ type: 'submit', feeMinor: 100, fourEyes: true }]).state;
    expect(applyEvent(waiting, { type: 'payment_failed' })).toMatchObject({
      ok: true,
      value: { state: { status: 'awaiting_payment', context: { paid: false } }, effects: [] },
    });
    const firstApproval = run('courier', [
      { type: 'submit', feeMinor: 100, fourEyes: true },
      { type: 'payment_succeeded' },
      { type: 'approve', by: 'reviewer-1', inPerson: false },
    ]).state;
    expect(firstApproval).toMatchObject({ status: 'second_review', context: { approvers: ['reviewer-1'] } });
    const asked = applyEvent(firstApproval, { type: 'request_info', note: 'photo blurred' });
    expect(asked.ok && asked.value.state).toMatchObject({ status: 'needs_info', context: { approvers: [] } });
  });

  it('unfreezing an unpaid request sends it back to payment', () => {
    const waiting = run('courier', [{ type: 'submit', feeMinor: 100, fourEyes: false }, { type: 'freeze' }]).state;
    expect(applyEvent(waiting, { type: 'unfreeze' })).toMatchObject({
      ok: true,
      value: { state: { status: 'awaiting_payment' } },
    });
    expect(applyEvent(newRequest('courier'), { type: 'freeze' })).toEqual({
      ok: false,
      error: 'transition.not_allowed',
    });
  });

  it('starts as a draft with nothing decided', () => {
    expect(newRequest('esim')).toEqual({
      status: 'draft',
      context: {
        delivery: 'esim',
        feeMinor: 0,
        paid: false,
        fourEyes: false,
        approvers: [],
        approvedInPerson: false,
        simId: null,
      },
    });
  });
});

type Trace = { state: RequestState; event: RequestEvent; accepted: boolean; effects: string[] }[];
type Machine = typeof applyEvent;

/**
 * Journeys generated from the machine itself (model-based): at each step one of the events the
 * current status allows is tried, with forward steps more likely than cancelling, freezing or
 * rejecting, so journeys reach every status, activation included, instead of stalling in the
 * first refusals as random event lists do.
 */
const STOPPING: RequestEventType[] = ['cancel', 'freeze', 'reject', 'fail', 'payment_failed'];
/** Computed when a journey runs, so a mutant machine that throws fails a test instead of the import. */
const allEvents = (): RequestEventType[] => [...new Set(REQUEST_STATUSES.flatMap((s) => eventsFrom(s)))];
const journeyPlans = fc.record({
  delivery: fc.constantFrom(...DELIVERIES),
  fee: fc.constantFrom(0, 30000),
  fourEyes: fc.boolean(),
  steps: fc.array(
    fc.record({
      pick: fc.nat(),
      /** Now and then an event the status does not allow, which the machine must refuse. */
      stray: fc.nat(9).map((n) => n === 0),
      by: fc.constantFrom('reviewer-1', 'reviewer-2'),
      inPerson: fc.boolean(),
    }),
    {
      minLength: 5,
      maxLength: 25,
    },
  ),
});
type Plan = typeof journeyPlans extends fc.Arbitrary<infer P> ? P : never;

function eventOf(type: RequestEventType, plan: Plan, step: Plan['steps'][number], n: number): RequestEvent {
  switch (type) {
    case 'submit':
      return { type, feeMinor: plan.fee, fourEyes: plan.fourEyes };
    case 'request_info':
      return { type, note: 'more' };
    case 'approve':
      return { type, by: step.by, inPerson: step.inPerson };
    case 'reject':
    case 'fail':
      return { type, reason: 'no' };
    case 'assign_sim':
      return { type, simId: `sim-${n}` };
    case 'dispatch':
      return { type, carrier: 'c', trackingNumber: `t-${n}` };
    default:
      return { type } as RequestEvent;
  }
}

function walk(machine: Machine, plan: Plan): Trace {
  let state = newRequest(plan.delivery);
  const steps: Trace = [];
  plan.steps.forEach((step, n) => {
    const allowed = step.stray ? allEvents() : eventsFrom(state.status);
    if (allowed.length === 0) return;
    const weighted = allowed.flatMap((type) =>
      STOPPING.includes(type) ? [type] : [type, type, type, type, type, type],
    );
    const event = eventOf(weighted[step.pick % weighted.length] as RequestEventType, plan, step, n);
    const r = machine(state, event);
    if (r.ok) state = r.value.state;
    steps.push({ state, event, accepted: r.ok, effects: r.ok ? r.value.effects : [] });
  });
  return steps;
}

/** The safety properties, checked on one journey of a machine; throws on a violation. */
function checkJourney(machine: Machine, plan: Plan) {
  let held = 0;
  let before = newRequest(plan.delivery);
  let terminal = false;
  for (const step of walk(machine, plan)) {
    const { status, context } = step.state;
    if (terminal) expect(step.accepted).toBe(false);
    terminal = isTerminal(status);
    if (step.accepted && status === 'activated') {
      expect(context.approvers.length).toBeGreaterThan(0);
      expect(context.paid || context.feeMinor === 0).toBe(true);
      expect(context.simId).not.toBeNull();
    }
    if (step.accepted && status === 'approved' && context.fourEyes)
      expect(new Set(context.approvers).size >= 2 || context.approvedInPerson).toBe(true);
    if (step.accepted && step.event.type === 'assign_sim') held++;
    if (step.effects.includes('release_sim')) held--;
    expect(held).toBeLessThanOrEqual(1);
    expect(held).toBeGreaterThanOrEqual(0);
    const unfulfilled = ['cancelled', 'rejected', 'failed'].includes(status);
    expect(step.effects.includes('refund')).toBe(step.accepted && unfulfilled && before.context.paid);
    before = step.state;
  }
}

describe('request machine properties, on journeys generated from the machine', () => {
  it('reaches every status, activation in a good share of journeys', () => {
    const reached = new Map<string, number>();
    const samples = fc.sample(journeyPlans, { numRuns: 2000, seed: 42 });
    for (const plan of samples)
      for (const status of new Set(walk(applyEvent, plan).map((s) => s.state.status)))
        reached.set(status, (reached.get(status) ?? 0) + 1);
    for (const status of REQUEST_STATUSES.filter((s) => s !== 'draft'))
      expect(reached.get(status) ?? 0, status).toBeGreaterThan(samples.length * 0.01);
    expect(reached.get('activated') ?? 0).toBeGreaterThan(samples.length * 0.1);
  });

  it('never activates without approval, payment and a SIM; never holds two SIMs; four eyes; refunds exactly', () => {
    fc.assert(
      fc.property(journeyPlans, (plan) => checkJourney(applyEvent, plan)),
      { numRuns: 3000 },
    );
  });

  /** Broken machines the properties must catch, so a passing run means something. */
  const mutants: Record<string, Machine> = {
    'a machine that never requires payment': (state, event) =>
      applyEvent({ ...state, context: { ...state.context, paid: true } }, event),
    'a machine that activates an approved request before any SIM is assigned': (state, event) =>
      event.type === 'activate' && state.status === 'approved'
        ? { ok: true, value: { state: { ...state, status: 'activated' }, effects: [] } }
        : applyEvent(state, event),
    'a machine where one reviewer approves twice': (state, event) => {
      const r = applyEvent(state, event);
      if (r.ok || r.error !== 'transition.same_reviewer' || event.type !== 'approve') return r;
      const context = { ...state.context, approvers: [...state.context.approvers, event.by] };
      return { ok: true, value: { state: { status: 'approved', context }, effects: [] } };
    },
    'a machine that forgets refunds': (state, event) => {
      const r = applyEvent(state, event);
      return r.ok ? { ok: true, value: { ...r.value, effects: r.value.effects.filter((e) => e !== 'refund') } } : r;
    },
    'a machine that lets a SIM go without releasing it': (state, event) => {
      const r = applyEvent(state, event);
      return r.ok
        ? { ok: true, value: { ...r.value, effects: r.value.effects.filter((e) => e !== 'release_sim') } }
        : r;
    },
  };
  it.each(Object.entries(mutants))('%s is caught', (_name, mutant) => {
    expect(() =>
      fc.assert(
        fc.property(journeyPlans, (plan) => checkJourney(mutant, plan)),
        { numRuns: 3000, seed: 7 },
      ),
    ).toThrow();
  });
});
