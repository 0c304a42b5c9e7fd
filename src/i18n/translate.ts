import { match } from '@formatjs/intl-localematcher';
import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES, type Locale } from '../db/schema/columns.ts';
import { en, type MessageKey } from './messages/en.ts';
import { ru } from './messages/ru.ts';
import { zh } from './messages/zh.ts';

export { LOCALES, type Locale, type MessageKey };
export const DEFAULT_LOCALE: Locale = 'ru';

/** Every catalogue has every key: ru and zh are typed against the English one. */
const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ru, zh };
const intlTags: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };

export type Values = Record<string, string | number | Date>;
export type Translate = ((key: MessageKey, values?: Values) => string) & { locale: Locale };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** True when `key` names a message, e.g. an error code coming from the domain. */
export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

const translators = new Map<Locale, Translate>();

export function translator(locale: Locale): Translate {
  const existing = translators.get(locale);
  if (existing) return existing;
  const formats = new Map<MessageKey, IntlMessageFormat>();
  // Most messages take no values: each is formatted once.
  const plain = new Map<MessageKey, string>();
  const t = (key: MessageKey, values?: Values) => {
    if (values === undefined) {
      const text = plain.get(key);
      if (text !== undefined) return text;
    }
    let format = formats.get(key);
    if (!format) {
      format = new IntlMessageFormat(catalogues[locale][key], intlTags[locale]);
      formats.set(key, format);
    }
    const text = String(format.format(values));
    if (values === undefined) plain.set(key, text);
    return text;
  };
  const made = Object.assign(t, { locale });
  translators.set(locale, made);
  return made;
}

function isValidTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** Picks the best supported locale from Accept-Language ranges, in preference order; junk is ignored. */
export function negotiateLocale(requested: readonly string[]): Locale {
  return match(requested.filter(isValidTag), [...LOCALES], DEFAULT_LOCALE) as Locale;
}

/** Intl formatters are costly to build and immutable: one per locale and options. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, make: () => F): F {
  let found = formatters.get(key) as F | undefined;
  if (!found) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

export function formatList(locale: Locale, items: readonly string[]): string {
  return formatter(`list:${locale}`, () => new Intl.ListFormat(intlTags[locale], { type: 'conjunction' })).format(
    items,
  );
}

export function formatMoney(locale: Locale, amountMinor: number, currency: string): string {
  const whole = amountMinor % 100 === 0;
  const format = formatter(
    `money:${locale}:${currency}:${whole}`,
    () =>
      new Intl.NumberFormat(intlTags[locale], {
        style: 'currency',
        currency,
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: 2,
      }),
  );
  return format.format(amountMinor / 100);
}

export function formatDate(locale: Locale, date: Date, timeZone?: string): string {
  return formatter(
    `date:${locale}:${timeZone ?? ''}`,
    () => new Intl.DateTimeFormat(intlTags[locale], { dateStyle: 'long', ...(timeZone ? { timeZone } : {}) }),
  ).format(date);
}

/** The time of day in a zone, "10:30", for a slot beside its date. */
export function formatTime(locale: Locale, date: Date, timeZone: string): string {
  return formatter(
    `time:${locale}:${timeZone}`,
    () => new Intl.DateTimeFormat(intlTags[locale], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
  ).format(date);
}

/**
 * A moment in the zone it is told in, named ("27 November 2026 at 21:53 Moscow Time"): subscribers
 * live across eleven zones, and a bare "21:53" misleads most of them.
 */
export function formatDateTime(locale: Locale, date: Date, timeZone: string): string {
  return formatter(
    `datetime:${locale}:${timeZone}`,
    () =>
      new Intl.DateTimeFormat(intlTags[locale], {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
        timeZoneName: 'shortGeneric',
      }),
  ).format(date);
}
