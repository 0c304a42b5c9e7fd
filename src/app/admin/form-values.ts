import { z } from 'zod';

/**
 * Settings forms send strings; these read them into the values the tables keep, each with the
 * message key shown beside the field when it does not fit.
 */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'admin.invalid.number')
    .transform(Number)
    .pipe(z.number().min(min, 'admin.invalid.number').max(max, 'admin.invalid.number'));

/** An empty or missing field: "not set" (null). */
const unset = z
  .literal('')
  .optional()
  .transform(() => null);

/** Empty means "not set" (null). */
export const optionalWholeNumber = (min: number, max: number) => z.union([unset, wholeNumber(min, max)]);

/** A checkbox: present when ticked. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v !== undefined);

/** An amount in major units ("350" or "350.50") kept in minor units. */
export const money = z
  .string()
  .trim()
  .regex(/^\d{1,7}([.,]\d{1,2})?$/, 'admin.invalid.amount')
  .transform((v) => Math.round(Number(v.replace(',', '.')) * 100));

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: 'admin.invalid.choice' });

/** A choice that may be left as "any" (empty → null). */
export const anyOr = <T extends readonly [string, ...string[]]>(values: T) => z.union([unset, choice(values)]);

const knownZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
};

/** An IANA time zone such as Asia/Vladivostok. */
export const timeZone = (message: string) => z.string().trim().refine(knownZone, message);

/** A decimal number within a range, e.g. a latitude. */
export const decimal = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}([.,]\d{1,8})?$/, 'admin.invalid.coordinate')
    .transform((v) => Number(v.replace(',', '.')))
    .pipe(z.number().min(min, 'admin.invalid.coordinate').max(max, 'admin.invalid.coordinate'));

export type FormProblems = Record<string, string>;

/** Field → message key of the first problem of each field. */
export function problemsOf(error: z.ZodError): FormProblems {
  const problems: FormProblems = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    problems[field] ??= /^[a-z]+\.[\w.]+$/.test(issue.message) ? issue.message : 'admin.invalid.choice';
  }
  return problems;
}

/** A list of ISO 3166 country codes typed as "KZ, UZ TJ": empty is none. */
export const countryCodes = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase()),
  )
  .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'admin.invalid.countries')).max(60, 'admin.invalid.countries'));
