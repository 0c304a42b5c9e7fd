import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeIccid, parseIccid } from './iccid.ts';
import { parseImsi } from './imsi.ts';
import { luhnCheckDigit } from './luhn.ts';
import { formatMsisdn, maskMsisdn, parseMsisdn } from './msisdn.ts';

describe('MSISDN', () => {
  it.each([
    ['8 (916) 123-45-67', '+79161234567'],
    ['+7 916 123 45 67', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['+86 138 0013 8000', '+8613800138000'],
  ])('parses %s as %s', (input, e164) => {
    expect(parseMsisdn(input)).toEqual({ ok: true, value: e164 });
  });

  it('rejects garbage and too-short numbers', () => {
    expect(parseMsisdn('hello')).toEqual({ ok: false, error: 'msisdn.invalid' });
    expect(parseMsisdn('+7 916 123')).toEqual({ ok: false, error: 'msisdn.invalid' });
  });

  it('rejects landlines, which hold no SIM', () => {
    expect(parseMsisdn('+7 495 123-45-67')).toEqual({ ok: false, error: 'msisdn.not_mobile' });
  });

  it('ignores surrounding spaces but refuses a number buried in text', () => {
    expect(parseMsisdn('  +7 916 123 45 67\t')).toEqual({ ok: true, value: '+79161234567' });
    expect(parseMsisdn('call +7 916 123 45 67 now')).toEqual({ ok: false, error: 'msisdn.invalid' });
  });

  it('accepts numbers whose plan cannot tell mobile from fixed, and refuses service numbers', () => {
    expect(parseMsisdn('+1 201 555 0123')).toEqual({ ok: true, value: '+12015550123' });
    expect(parseMsisdn('8 800 555-35-35')).toEqual({ ok: false, error: 'msisdn.not_mobile' });
  });

  it('formats and masks', () => {
    expect(formatMsisdn('not a number')).toBe('not a number');
    expect(formatMsisdn('+79161234567')).toBe('+7 916 123 45 67');
    expect(maskMsisdn('+79161234567')).toBe('+7••••••••67');
  });
});

describe('ICCID', () => {
  it('computes the Luhn digit of a known card number', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });

  it('accepts 19- and 20-digit ICCIDs with a valid check digit', () => {
    const nineteen = completeIccid('897010210123456789');
    const twenty = completeIccid('8970102101234567890');
    expect(nineteen).toHaveLength(19);
    expect(parseIccid(nineteen).ok).toBe(true);
    expect(parseIccid(`${twenty.slice(0, 4)} ${twenty.slice(4)}`)).toEqual({ ok: true, value: twenty });
  });

  it('names what is wrong', () => {
    const good = completeIccid('8970102101234567890');
    const badDigit = good.slice(0, -1) + ((Number(good.at(-1)) + 1) % 10);
    expect(parseIccid(badDigit)).toEqual({ ok: false, error: 'iccid.check_digit' });
    expect(parseIccid('89701021012345')).toEqual({ ok: false, error: 'iccid.length' });
    expect(parseIccid(completeIccid('89701021012345678901'))).toEqual({ ok: false, error: 'iccid.length' });
    expect(parseIccid('8970102101234567X90')).toEqual({ ok: false, error: 'iccid.format' });
    expect(parseIccid(completeIccid('1270102101234567890'))).toEqual({ ok: false, error: 'iccid.prefix' });
  });

  it('detects every single-digit typo (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^89\d{17}$/),
        fc.nat(19),
        fc.integer({ min: 1, max: 9 }),
        (body, position, delta) => {
          const iccid = completeIccid(body);
          const typo = iccid.slice(0, position) + ((Number(iccid[position]) + delta) % 10) + iccid.slice(position + 1);
          expect(parseIccid(iccid).ok).toBe(true);
          expect(parseIccid(typo).ok).toBe(false);
        },
      ),
    );
  });
});

describe('IMSI', () => {
  it('splits a Russian IMSI with a two-digit MNC', () => {
    expect(parseImsi('250011234567890')).toEqual({
      ok: true,
      value: { imsi: '250011234567890', mcc: '250', mnc: '01', msin: '1234567890' },
    });
  });

  it('splits a North American IMSI with a three-digit MNC', () => {
    const r = parseImsi('310260123456789');
    expect(r.ok && r.value.mnc).toBe('260');
  });

  it.each([
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
  ])('gives networks of MCC %s three-digit MNCs (E.212)', (mcc) => {
    const r = parseImsi(`${mcc}123456789012`);
    expect(r.ok && r.value.mnc).toBe('123');
  });

  it('gives other countries two-digit MNCs', () => {
    for (const mcc of ['250', '460', '262', '234', '301', '317', '404']) {
      const r = parseImsi(`${mcc}123456789012`);
      expect(r.ok && r.value.mnc).toBe('12');
    }
  });

  it('rejects anything but 15 digits, ignoring surrounding spaces', () => {
    expect(parseImsi('25001123')).toEqual({ ok: false, error: 'imsi.format' });
    expect(parseImsi('x250011234567890')).toEqual({ ok: false, error: 'imsi.format' });
    expect(parseImsi('250011234567890x')).toEqual({ ok: false, error: 'imsi.format' });
    expect(parseImsi(' 250011234567890 ')).toMatchObject({ ok: true, value: { imsi: '250011234567890' } });
  });
});
