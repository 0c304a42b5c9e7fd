/**
 * A moment in the past written with its time zone (RFC 3339: `2025-03-01T10:00:00+03:00` or
 * `…Z`), as operators' exports give it; null for anything else. A time without its zone would be
 * read in whatever zone the server runs in, and a future one cannot have happened.
 */
export function parsePastInstant(text: string, now: Date): Date | null {
  if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) || at > now ? null : at;
}
