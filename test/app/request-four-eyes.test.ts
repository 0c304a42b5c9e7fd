import { afterAll, beforeAll, expect, test } from 'vitest';
import { reviewRequest } from '../../src/app/requests/fulfilment.ts';
import { provideInformation } from '../../src/app/requests/provide-information.ts';
import type { Database } from '../../src/db/client.ts';
import { passportPhoto, submittedRequest, testVault } from '../support/requests.ts';
import { seededDatabase } from '../support/seeded.ts';
import { demoStaff, type Staff } from '../support/staff.ts';
import { testLinks } from '../support/test-config.ts';

let database: Database;
let staff: Staff;
beforeAll(async () => {
  database = await seededDatabase();
  staff = await demoStaff(database);
});
afterAll(() => database.close());

const request = async (id: string) =>
  (
    await database.raw.query<{ risk_score: number; four_eyes: boolean; operator_id: string }>(
      'select risk_score, four_eyes, operator_id from replacement_requests where id = $1',
      [id],
    )
  )[0]!;

test('a risk exactly at the operator’s threshold needs four eyes; one point below it does not', async () => {
  const { requestId, actor } = await submittedRequest(database, '+79161110041', {
    reason: 'switch_to_esim',
    simType: 'esim',
    delivery: 'esim',
    deliveryAddress: null,
  });
  const { operator_id: operatorId } = await request(requestId);
  const rescore = async (threshold: number) => {
    await database.raw.query('update operators set four_eyes_risk_threshold = $2 where id = $1', [
      operatorId,
      threshold,
    ]);
    await reviewRequest(database.db, testLinks, staff.reviewer, requestId, { decision: 'request_info', note: 'Again' });
    const provided = await provideInformation(database.db, testVault(), actor, requestId, {
      docType: 'passport_ru',
      docNumber: '4516 110041',
      file: await passportPhoto(),
    });
    expect(provided.ok).toBe(true);
    return request(requestId);
  };
  // A document sent again is scored again; that score is the one the threshold is compared with.
  const { risk_score: score } = await rescore(100);
  // Four eyes once asked for is never taken back by a later score, so the lower side is tried first.
  expect(await rescore(score + 1)).toMatchObject({ risk_score: score, four_eyes: false });
  expect(await rescore(score)).toMatchObject({ risk_score: score, four_eyes: true });
  await database.raw.query('update operators set four_eyes_risk_threshold = 60 where id = $1', [operatorId]);
});
