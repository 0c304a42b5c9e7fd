import { DateTime } from 'luxon';
import type { DeliveryAddress } from './replacement.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Where a courier goes decides the window and the price, so the zone is derived from the
 * address, never picked by the subscriber: a Novosibirsk address cannot ride at the Moscow price.
 */
export type CourierZone = {
  id: string;
  /** City keys (as service centers use them, e.g. "moscow") the zone covers. */
  cityKeys: readonly string[];
  /** Postcode beginnings the zone covers, e.g. "10" to "14" for Moscow. */
  postcodePrefixes: readonly string[];
  /** Covers every address no other zone does. */
  isDefault: boolean;
};

/** A city's names in every language people type them in, by normalised name → city key. */
export type CityDirectory = Readonly<Record<string, string>>;

export type ZoneProblem = 'zone.not_served' | 'zone.postcode_mismatch';

/** "г. Москва", "Москва", "москва " and "MOSCOW" all read as one name. */
export function normalCity(name: string): string {
  return name
    .toLocaleLowerCase('ru')
    .replace(/ё/g, 'е')
    .replace(/^\s*(г\.|город|city of)\s*/u, '')
    .replace(/[\s.,\-–]+/g, ' ')
    .trim();
}

/**
 * The zone of an address: by postcode when a zone claims it, by city when a zone covers it, else
 * the default zone. A postcode outside the postcodes of the city's zone contradicts the city,
 * and an address no zone covers (with no default zone) is not served by courier.
 */
export function zoneForAddress(
  zones: readonly CourierZone[],
  cities: CityDirectory,
  address: Pick<DeliveryAddress, 'city' | 'postcode'>,
): Result<string, ZoneProblem> {
  const { postcode } = address;
  const byPostcode = postcode ? zones.find((z) => z.postcodePrefixes.some((p) => postcode.startsWith(p))) : undefined;
  const key = cities[normalCity(address.city)];
  const byCity = key ? zones.find((z) => z.cityKeys.includes(key)) : undefined;
  const outsideCity =
    byCity !== undefined && postcode !== undefined && byCity.postcodePrefixes.length > 0 && byPostcode !== byCity;
  if (outsideCity || (byPostcode && byCity && byPostcode.id !== byCity.id)) return err('zone.postcode_mismatch');
  const zone = byPostcode ?? byCity ?? zones.find((z) => z.isDefault);
  return zone ? ok(zone.id) : err('zone.not_served');
}

/**
 * The days a parcel sent now is expected, as dates in the operator's time zone (a parcel sent
 * at 01:00 in Vladivostok is sent on that local day, not the previous UTC one).
 */
export function deliveryWindow(
  sentAt: Date,
  timeZone: string,
  days: { minDays: number; maxDays: number },
): { expectedFrom: string; expectedTo: string } {
  const local = DateTime.fromJSDate(sentAt, { zone: timeZone });
  if (!local.isValid) throw new Error(`unknown time zone ${timeZone}`);
  const day = (n: number) => local.plus({ days: n }).toISODate() as string;
  return { expectedFrom: day(days.minDays), expectedTo: day(days.maxDays) };
}
