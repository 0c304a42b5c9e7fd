import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { generate } from 'otplib';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import { SANDBOX_CARDS } from '../../src/integrations/payments/sandbox-gateway.ts';
import { type Answer, again, Remote } from '../support/remote.ts';

/** What the app acknowledged during the run: each must be found in the database afterwards. */
export type Ledger = {
  submitted: Set<string>;
  /** Request → the payment whose card charge the gateway's page confirmed. */
  captured: Map<string, string>;
  cancelled: Set<string>;
  visits: Set<string>;
  approved: Set<string>;
  /** Each line's last acknowledged state, and how many blocks and unblocks were acknowledged. */
  lines: Map<string, 'blocked' | 'active'>;
  lineChanges: number;
  /** Answers that must never happen, whatever was killed: a 500, or a refusal of a repeated call. */
  wrong: string[];
};

export const newLedger = (): Ledger => ({
  submitted: new Set(),
  captured: new Map(),
  cancelled: new Set(),
  visits: new Set(),
  approved: new Set(),
  lines: new Map(),
  lineChanges: 0,
  wrong: [],
});

export const acknowledged = (l: Ledger) =>
  l.submitted.size + l.captured.size + l.cancelled.size + l.visits.size + l.approved.size + l.lineChanges;

type Api = (method: string, path: string, body?: unknown, key?: string) => Promise<Answer>;

/** A body as JSON where it is JSON: a replayed answer may order its keys differently. */
const parsed = (answer: Answer) => {
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return answer.body;
  }
};

/**
 * An operator system calling `/api/v1` with client credentials, repeating each call across
 * restarts. One keyed call in four is sent again after its answer, as a client does whose answer
 * was lost on the way (a kill between the commit and the reply, which random kills seldom hit):
 * the repeat must get the same answer, or `differs` is told.
 */
function apiClient(
  base: string,
  client: { clientId: string; secret: string },
  differs: (what: string, first: Answer, repeat: Answer) => void,
): Api {
  const remote = new Remote(base);
  let token = '';
  const authorize = async () => {
    const answer = await again(() =>
      remote.send('POST', '/oauth/token', {
        type: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.secret,
        }).toString(),
      }),
    );
    token = answer.json<{ access_token: string }>().access_token;
  };
  const call: Api = async (method, path, body, key) => {
    if (!token) await authorize();
    for (;;) {
      const answer = await again(() =>
        remote.send(method, `/api/v1${path}`, {
          ...(body === undefined ? {} : { body: JSON.stringify(body), type: 'application/json' }),
          headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
        }),
      );
      if (answer.status === 401) await authorize();
      else if (answer.status === 429 || (answer.status === 409 && answer.body.includes('idempotency-key-in-use')))
        await sleep(300);
      else return answer;
    }
  };
  return async (method, path, body, key) => {
    const answer = await call(method, path, body, key);
    if (key && answer.status < 500 && Math.random() < 0.25) {
      const repeat = await call(method, path, body, key);
      if (repeat.status !== answer.status || !isDeepStrictEqual(parsed(repeat), parsed(answer)))
        differs(`${method} ${path} again under its key`, answer, repeat);
    }
    return answer;
  };
}

/**
 * The mixed load of the crash suite, from several clients at once until `running()` says stop:
 * replacement requests through the API (draft, passport upload, submission, a card payment on
 * the gateway's page, cancellation with its refund), blocks and unblocks of other lines, visit
 * bookings, and a reviewer approving what waits in review.
 */
export function mixedLoad(
  base: string,
  client: { clientId: string; secret: string },
  lines: { requests: string[]; blocks: string[] },
  photo: string,
) {
  const ledger = newLedger();
  let running = true;
  const wrong = (what: string, answer: Answer) =>
    ledger.wrong.push(`${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
  const api = apiClient(base, client, (what, first, repeat) =>
    wrong(`${what} (first ${first.status} ${first.body.slice(0, 80)})`, repeat),
  );

  const replacements = async (msisdn: string) => {
    while (running) {
      const key = randomUUID();
      const draft = await api(
        'POST',
        '/requests',
        {
          phoneNumber: msisdn,
          reason: 'lost',
          simType: 'esim',
          delivery: 'esim',
          contact: { name: 'Crash Test', phone: msisdn },
        },
        `${key}:draft`,
      );
      if (draft.status === 409) {
        await cancelOpen(msisdn);
        continue;
      }
      if (draft.status !== 201) {
        wrong(`draft for ${msisdn}`, draft);
        return;
      }
      const { id } = draft.json<{ id: string }>();
      const document = await api(
        'POST',
        `/requests/${id}/documents`,
        { docType: 'passport_ru', docNumber: '4506 123456', contentBase64: photo },
        `${key}:document`,
      );
      if (document.status !== 201) wrong(`document of ${id}`, document);
      const submitted = await api('POST', `/requests/${id}/submit`, undefined, `${key}:submit`);
      if (submitted.status !== 200) {
        wrong(`submission of ${id}`, submitted);
        await cancel(id);
        continue;
      }
      ledger.submitted.add(id);
      const payment = await api('POST', `/requests/${id}/payments`, { method: 'card' }, `${key}:pay`);
      if (payment.status === 201) {
        const { id: paymentId, checkoutUrl } = payment.json<{ id: string; checkoutUrl: string }>();
        if (await payByCard(new URL(checkoutUrl).pathname)) ledger.captured.set(id, paymentId);
      } else wrong(`payment of ${id}`, payment);
      await sleep(200 + Math.random() * 800);
      await cancel(id);
    }
  };

  const payByCard = async (page: string) => {
    const payer = new Remote(base);
    for (;;) {
      const shown = await again(() => payer.get(page));
      if (shown.status === 303) return shown.location?.includes('/paid') ?? false;
      const paid = await again(() =>
        payer.form(`${page}/card`, { number: SANDBOX_CARDS.success, expiry: '12/40', cvc: '123' }),
      );
      if (paid.status === 303 && paid.location?.includes('/paid')) return true;
      if (paid.status >= 500) wrong(`card payment at ${page}`, paid);
    }
  };

  const cancel = async (id: string) => {
    const cancelled = await api('POST', `/requests/${id}/cancel`);
    if (cancelled.status === 200 && cancelled.json<{ status: string }>().status === 'cancelled')
      ledger.cancelled.add(id);
    else if (cancelled.status >= 500) wrong(`cancel of ${id}`, cancelled);
  };

  const cancelOpen = async (msisdn: string) => {
    const list = await api('GET', `/requests?phoneNumber=${encodeURIComponent(msisdn)}`);
    const open = list
      .json<{ items: { id: string; status: string }[] }>()
      .items.filter((r) => !['cancelled', 'completed', 'rejected'].includes(r.status));
    for (const r of open) await cancel(r.id);
    if (open.length === 0) await sleep(500);
  };

  const blocks = async (msisdn: string) => {
    while (running) {
      const state = Math.random() < 0.5 ? 'blocked' : 'active';
      const answer = await api(
        'POST',
        `/lines/${encodeURIComponent(msisdn)}/${state === 'blocked' ? 'block' : 'unblock'}`,
      );
      if (answer.status === 200) {
        ledger.lines.set(msisdn, state);
        ledger.lineChanges++;
      } else wrong(`${state} ${msisdn}`, answer);
      await sleep(Math.random() * 300);
    }
  };

  const visits = async () => {
    while (running) {
      const slots = await api('GET', '/centers/MSK-TVER/slots');
      const free = slots
        .json<{ days: { slots: { startsAt: string; free: number }[] }[] }>()
        .days.flatMap((d) => d.slots)
        .filter((s) => s.free > 0);
      const slot = free[Math.floor(Math.random() * free.length)];
      if (!slot) return;
      const phone = `+7916${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      const booked = await api(
        'POST',
        '/centers/MSK-TVER/visits',
        { startsAt: slot.startsAt, name: 'Crash Test', phone, locale: 'en' },
        randomUUID(),
      );
      if (booked.status === 201) ledger.visits.add(booked.json<{ id: string }>().id);
      else if (booked.status >= 500) wrong('visit booking', booked);
      await sleep(100 + Math.random() * 300);
    }
  };

  const reviewer = async () => {
    const staff = new Remote(base);
    await signInStaff(staff, 'reviewer@volna.example');
    while (running) {
      const queue = await again(() => staff.get('/staff/review'));
      if (queue.status !== 200) await signInStaff(staff, 'reviewer@volna.example');
      const ids = [
        ...new Set([...queue.body.matchAll(/\/staff\/review\/([0-9a-f-]{36})/g)].map((m) => m[1] as string)),
      ];
      for (const id of ids.slice(0, 3)) {
        await again(() => staff.get(`/staff/review/${id}`));
        const decided = await again(() => staff.form(`/staff/review/${id}/approve`));
        if (decided.status === 303 && decided.location?.includes('done=')) ledger.approved.add(id);
        else if (decided.status >= 500) wrong(`approval of ${id}`, decided);
      }
      await sleep(300);
    }
  };

  const clients = [...lines.requests.map(replacements), ...lines.blocks.map(blocks), visits(), reviewer()].map((c) =>
    c.catch((error: unknown) => ledger.wrong.push(`a client stopped: ${error}`)),
  );
  return {
    ledger,
    stop: async () => {
      running = false;
      await Promise.all(clients);
    },
  };
}

/** Password, then the authenticator's code; a code is taken once per 30-second step, so a repeat waits for the next. */
async function signInStaff(staff: Remote, email: string) {
  for (let attempt = 0; attempt < 40; attempt++) {
    await again(() => staff.get('/staff'));
    await again(() => staff.form('/staff', { email, password: DEMO_STAFF_PASSWORD }));
    await again(() => staff.get('/staff/totp'));
    const done = await again(async () =>
      staff.form('/staff/totp', { code: await generate({ secret: DEMO_STAFF_TOTP_SECRET }) }),
    );
    if (done.location === '/staff/home') return;
    await sleep(1_000);
  }
  throw new Error(`${email} could not sign in`);
}
