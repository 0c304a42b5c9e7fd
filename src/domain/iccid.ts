import { hasValidLuhn, luhnCheckDigit } from './luhn.ts';
import { err, ok, type Result } from './result.ts';

/** Integrated Circuit Card Identifier (ITU-T E.118): "89", country, issuer, serial, Luhn check digit. */
export type Iccid = string & { readonly __brand: 'Iccid' };

export type IccidError = 'iccid.format' | 'iccid.length' | 'iccid.prefix' | 'iccid.check_digit';

export function parseIccid(input: string): Result<Iccid, IccidError> {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return err('iccid.format');
  if (digits.length < 19 || digits.length > 20) return err('iccid.length');
  if (!digits.startsWith('89')) return err('iccid.prefix');
  if (!hasValidLuhn(digits)) return err('iccid.check_digit');
  return ok(digits as Iccid);
}

/** Appends the Luhn check digit to an 18- or 19-digit ICCID body. */
export function completeIccid(body: string): Iccid {
  return (body + luhnCheckDigit(body)) as Iccid;
}
