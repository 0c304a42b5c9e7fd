import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { err, ok, type Result } from './result.ts';

/** A subscriber number in E.164 form, e.g. "+79161234567". */
export type Msisdn = string & { readonly __brand: 'Msisdn' };

export type MsisdnError = 'msisdn.invalid' | 'msisdn.not_mobile';

/**
 * Parses a number typed in any common format ("8 (916) 123-45-67", "+7 916 123 4567",
 * "79161234567") and returns it in E.164. Only mobile numbers can hold a SIM.
 */
export function parseMsisdn(input: string, defaultCountry: CountryCode = 'RU'): Result<Msisdn, MsisdnError> {
  const phone = parsePhoneNumberFromString(input.trim(), { defaultCountry, extract: false });
  if (!phone?.isValid()) return err('msisdn.invalid');
  const type = phone.getType();
  if (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return err('msisdn.not_mobile');
  return ok(phone.number as Msisdn);
}

const formatted = new Map<string, string>();
const FORMATTED_MAX = 10_000;

/** International format ("+7 916 123 45 67"), readable by visitors and residents alike. */
export function formatMsisdn(msisdn: string): string {
  let text = formatted.get(msisdn);
  if (text === undefined) {
    // Parsing with the full metadata is costly and pages show the same numbers again and again.
    text = parsePhoneNumberFromString(msisdn)?.formatInternational() ?? msisdn;
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(msisdn, text);
  }
  return text;
}

/** Hides all but the last digits, for notices sent to other contacts. */
export function maskMsisdn(msisdn: string): string {
  return msisdn.slice(0, 2) + msisdn.slice(2, -2).replace(/\d/g, '•') + msisdn.slice(-2);
}

/** The country a number belongs to (ISO 3166 code), or null when it cannot tell. */
export function countryOf(msisdn: string): string | null {
  return parsePhoneNumberFromString(msisdn)?.country ?? null;
}
