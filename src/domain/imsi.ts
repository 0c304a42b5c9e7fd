import { err, ok, type Result } from './result.ts';

export type Imsi = { imsi: string; mcc: string; mnc: string; msin: string };
export type ImsiError = 'imsi.format';

/**
 * Mobile country codes whose networks use three-digit MNCs (ITU-T E.212 list).
 * Everywhere else, Russia's 250 included, the MNC has two digits.
 */
const THREE_DIGIT_MNC_MCCS = new Set([
  '302',
  '310',
  '311',
  '312',
  '313',
  '314',
  '315',
  '316',
  '334',
  '338',
  '342',
  '344',
  '346',
  '348',
  '354',
  '356',
  '358',
  '360',
  '365',
  '376',
  '405',
  '708',
  '722',
  '732',
  '750',
]);

export function parseImsi(input: string): Result<Imsi, ImsiError> {
  const imsi = input.trim();
  if (!/^\d{15}$/.test(imsi)) return err('imsi.format');
  const mcc = imsi.slice(0, 3);
  const mncLength = THREE_DIGIT_MNC_MCCS.has(mcc) ? 3 : 2;
  return ok({ imsi, mcc, mnc: imsi.slice(3, 3 + mncLength), msin: imsi.slice(3 + mncLength) });
}
