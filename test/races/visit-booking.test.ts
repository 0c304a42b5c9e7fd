import { afterAll, beforeAll, expect, test } from 'vitest';
import { bookVisit, centerSlots } from '../../src/app/centers/visits.ts';
import type { Database } from '../../src/db/client.ts';
import { testDatabase } from '../support/db.ts';
import { testLinks } from '../support/test-config.ts';

/** Wednesday 2 December 2026, 10:00 in Moscow. */
const clock = new Date('2026-12-02T07:00:00Z');

let database: Database;
let operatorId: string;
beforeAll(async () => {
  database = await testDatabase('seeded', 32);
  const [operator] = await database.raw.query<{ id: string }>("select id from operators where slug = 'volna'");
  operatorId = operator?.id ?? '';
});
afterAll(() => database.close());

const contact = (n: number) => ({
  name: `Visitor ${n}`,
  phone: `+7999100${String(n).padStart(4, '0')}`,
  email: null,
  lineMsisdn: null,
  locale: 'en' as const,
});

const openSlots = async () => {
  const slots = await centerSlots(database.db, operatorId, 'MSK-TVER', clock);
  return (slots?.days ?? []).flatMap((day) => day.slots).filter((s) => s.free > 0);
};

test.skipIf(!process.env.DATABASE_URL)(
  'ten parallel bookings of different slots at one center all succeed, none answers an error',
  async () => {
    const slots = (await openSlots()).slice(0, 10);
    expect(slots).toHaveLength(10);
    const answers = await Promise.allSettled(
      slots.map((slot, n) =>
        bookVisit(database.db, testLinks, operatorId, 'MSK-TVER', slot.startsAt, contact(n), clock),
      ),
    );
    const failures = answers.filter((a) => a.status === 'rejected').map((a) => String(a.reason));
    console.log(`10 parallel bookings of 10 slots: ${10 - failures.length} booked, ${failures.length} errors`);
    expect(failures).toEqual([]);
    expect(answers.every((a) => a.status === 'fulfilled' && a.value.ok)).toBe(true);
  },
);

test.skipIf(!process.env.DATABASE_URL)(
  'thirty people booking the last place of a slot at once: exactly one gets it, the others are told it is full',
  async () => {
    const [slot] = (await openSlots()).slice(10);
    if (!slot) throw new Error('no free slot');
    for (let n = 1; n < slot.free; n++)
      expect(
        (await bookVisit(database.db, testLinks, operatorId, 'MSK-TVER', slot.startsAt, contact(100 + n), clock)).ok,
      ).toBe(true);
    const answers = await Promise.allSettled(
      Array.from({ length: 30 }, (_, n) =>
        bookVisit(database.db, testLinks, operatorId, 'MSK-TVER', slot.startsAt, contact(200 + n), clock),
      ),
    );
    const errors = answers.filter((a) => a.status === 'rejected').map((a) => String(a.reason));
    const booked = answers.filter((a) => a.status === 'fulfilled' && a.value.ok).length;
    const full = answers.filter(
      (a) => a.status === 'fulfilled' && !a.value.ok && a.value.error === 'visit.slot_full',
    ).length;
    console.log(`30 parallel bookings of the last place: ${booked} booked, ${full} told full, ${errors.length} errors`);
    expect(errors).toEqual([]);
    expect(booked).toBe(1);
    expect(full).toBe(29);
  },
);
