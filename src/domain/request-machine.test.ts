import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERIES, type Delivery } from './replacement.ts';
import {
  type Applied,
  applyEvent,
  eventsFrom,
  isTerminal,
  newRequest,
  type RequestEvent,
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

  it('lists the events possible from a status', () => {
    expect(eventsFrom('awaiting_payment')).toEqual(
      expect.arrayContaining(['payment_succeeded', 'payment_failed', 'cancel', 'freeze']),
    );
    for (const status of TERMINAL_STATUSES) expect(eventsFrom(status)).toEqual([]);
  });
});

const reviewer = fc.constantFrom('reviewer-1', 'reviewer-2', 'agent-1');
const anyEvent: fc.Arbitrary<RequestEvent> = fc.oneof(
  fc.record({ type: fc.constant('submit' as const), feeMinor: fc.constantFrom(0, 30000), fourEyes: fc.boolean() }),
  fc.constant({ type: 'payment_succeeded' as const }),
  fc.constant({ type: 'payment_failed' as const }),
  fc.constant({ type: 'request_info' as const, note: 'more' }),
  fc.constant({ type: 'info_provided' as const }),
  fc.record({ type: fc.constant('approve' as const), by: reviewer, inPerson: fc.boolean() }),
  fc.constant({ type: 'reject' as const, reason: 'no' }),
  fc.record({ type: fc.constant('assign_sim' as const), simId: fc.constantFrom('sim-a', 'sim-b') }),
  fc.constant({ type: 'dispatch' as const, carrier: 'c', trackingNumber: 't' }),
  fc.constant({ type: 'mark_ready' as const }),
  fc.constant({ type: 'delivery_failed' as const }),
  fc.constant({ type: 'deliver' as const }),
  fc.constant({ type: 'activate' as const }),
  fc.constant({ type: 'fail' as const, reason: 'defective' }),
  fc.constant({ type: 'cancel' as const }),
  fc.constant({ type: 'freeze' as const }),
  fc.constant({ type: 'unfreeze' as const }),
);

type Trace = { state: RequestState; event: RequestEvent; accepted: boolean; effects: string[] }[];

function trace(delivery: Delivery, events: RequestEvent[]): Trace {
  let state = newRequest(delivery);
  return events.map((event) => {
    const r = applyEvent(state, event);
    if (r.ok) state = r.value.state;
    return { state, event, accepted: r.ok, effects: r.ok ? r.value.effects : [] };
  });
}

const journeys = fc.tuple(fc.constantFrom(...DELIVERIES), fc.array(anyEvent, { maxLength: 60 }));

describe('request machine properties', () => {
  it('never activates without an approval and a settled payment or a zero fee', () => {
    fc.assert(
      fc.property(journeys, ([delivery, events]) => {
        for (const step of trace(delivery, events)) {
          if (step.accepted && step.state.status === 'activated') {
            const { context } = step.state;
            expect(context.approvers.length).toBeGreaterThan(0);
            expect(context.paid || context.feeMinor === 0).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts nothing once terminal', () => {
    fc.assert(
      fc.property(journeys, ([delivery, events]) => {
        let terminal = false;
        for (const step of trace(delivery, events)) {
          if (terminal) expect(step.accepted).toBe(false);
          terminal = isTerminal(step.state.status);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never holds two SIMs: an assignment needs the previous one released', () => {
    fc.assert(
      fc.property(journeys, ([delivery, events]) => {
        let held = 0;
        for (const step of trace(delivery, events)) {
          if (!step.accepted) continue;
          if (step.event.type === 'assign_sim') held++;
          if (step.effects.includes('release_sim')) held--;
          expect(held).toBeLessThanOrEqual(1);
          expect(held).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('approves a four-eyes request only with two reviewers or an in-person check', () => {
    fc.assert(
      fc.property(journeys, ([delivery, events]) => {
        for (const step of trace(delivery, events)) {
          const { status, context } = step.state;
          if (step.accepted && status === 'approved' && context.fourEyes) {
            expect(new Set(context.approvers).size >= 2 || context.approvedInPerson).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refunds exactly the paid requests that end unfulfilled', () => {
    fc.assert(
      fc.property(journeys, ([delivery, events]) => {
        let before = newRequest(delivery);
        for (const step of trace(delivery, events)) {
          const unfulfilled = ['cancelled', 'rejected', 'failed'].includes(step.state.status);
          const entered = step.accepted && unfulfilled;
          expect(step.effects.includes('refund')).toBe(entered && before.context.paid);
          before = step.state;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
