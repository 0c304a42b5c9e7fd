import { describe, expect, test } from 'vitest';
import { type CourierZone, deliveryWindow, normalCity, zoneForAddress } from './delivery-zones.ts';

const moscow: CourierZone = { id: 'msk', cityKeys: ['moscow'], postcodePrefixes: ['10', '11', '12'], isDefault: false };
const regions: CourierZone = { id: 'rest', cityKeys: [], postcodePrefixes: [], isDefault: true };
const cities = { москва: 'moscow', moscow: 'moscow', 莫斯科: 'moscow', новосибирск: 'novosibirsk' };

describe('the courier zone of an address', () => {
  test('comes from the city, in any language and spelling', () => {
    for (const city of ['Москва', 'г. Москва', 'MOSCOW', ' москва ', '莫斯科'])
      expect(zoneForAddress([moscow, regions], cities, { city })).toEqual({ ok: true, value: 'msk' });
  });

  test('a city no zone names goes to the default zone; without one it is not served', () => {
    expect(zoneForAddress([moscow, regions], cities, { city: 'Новосибирск' })).toEqual({ ok: true, value: 'rest' });
    expect(zoneForAddress([moscow], cities, { city: 'Новосибирск' })).toEqual({ ok: false, error: 'zone.not_served' });
  });

  test('a postcode decides where the city is unknown, and contradicting the city is refused', () => {
    expect(zoneForAddress([moscow, regions], cities, { city: 'Зеленоград', postcode: '124482' })).toEqual({
      ok: true,
      value: 'msk',
    });
    expect(zoneForAddress([moscow, regions], cities, { city: 'Новосибирск', postcode: '630099' })).toEqual({
      ok: true,
      value: 'rest',
    });
    const contradiction = { city: 'Moscow', postcode: '630099' };
    expect(zoneForAddress([moscow, { ...regions, postcodePrefixes: ['63'] }], cities, contradiction)).toEqual({
      ok: false,
      error: 'zone.postcode_mismatch',
    });
    expect(zoneForAddress([moscow, regions], cities, contradiction)).toEqual({
      ok: false,
      error: 'zone.postcode_mismatch',
    });
    expect(zoneForAddress([moscow, regions], cities, { city: 'Москва', postcode: '125009' })).toEqual({
      ok: true,
      value: 'msk',
    });
  });

  test('normalises names as people type them', () => {
    expect(normalCity('Санкт-Петербург')).toBe(normalCity('санкт петербург'));
    expect(normalCity('Орёл')).toBe('орел');
    expect(normalCity('Санкт -- Петербург.')).toBe('санкт петербург');
    for (const name of ['  г. Москва', 'г.Москва', 'город Москва', 'City of Moscow'])
      expect(normalCity(name)).toBe(name.includes('Moscow') ? 'moscow' : 'москва');
    expect(normalCity('Белгород')).toBe('белгород');
  });

  test('a city zone without postcodes takes any postcode no other zone claims', () => {
    const novosibirsk: CourierZone = { id: 'nsk', cityKeys: ['novosibirsk'], postcodePrefixes: [], isDefault: false };
    expect(zoneForAddress([moscow, novosibirsk], cities, { city: 'Новосибирск', postcode: '630099' })).toEqual({
      ok: true,
      value: 'nsk',
    });
    expect(zoneForAddress([moscow, novosibirsk], cities, { city: 'Новосибирск', postcode: '101000' })).toEqual({
      ok: false,
      error: 'zone.postcode_mismatch',
    });
  });
});

test("a delivery window is counted in the operator's own days", () => {
  const justAfterMidnightInVladivostok = new Date('2026-03-09T15:30:00Z');
  expect(deliveryWindow(justAfterMidnightInVladivostok, 'Asia/Vladivostok', { minDays: 2, maxDays: 5 })).toEqual({
    expectedFrom: '2026-03-12',
    expectedTo: '2026-03-15',
  });
  expect(deliveryWindow(justAfterMidnightInVladivostok, 'UTC', { minDays: 2, maxDays: 5 })).toEqual({
    expectedFrom: '2026-03-11',
    expectedTo: '2026-03-14',
  });
});

test('an unknown time zone is named in the error', () => {
  expect(() => deliveryWindow(new Date(), 'Mars/Olympus', { minDays: 1, maxDays: 2 })).toThrow(
    'unknown time zone Mars/Olympus',
  );
});
