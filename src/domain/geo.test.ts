import { expect, test } from 'vitest';
import { distanceKm, readPosition } from './geo.ts';

const moscow = { latitude: 55.7558, longitude: 37.6173 };
const vladivostok = { latitude: 43.1155, longitude: 131.8855 };

test('distances between known cities, and none from a place to itself', () => {
  expect(distanceKm(moscow, moscow)).toBe(0);
  expect(distanceKm(moscow, vladivostok)).toBeGreaterThan(6_400);
  expect(distanceKm(moscow, vladivostok)).toBeLessThan(6_460);
  expect(distanceKm(moscow, { latitude: 55.7558, longitude: 37.6343 })).toBeCloseTo(1.066, 2);
  expect(distanceKm(vladivostok, moscow)).toBeCloseTo(distanceKm(moscow, vladivostok), 9);
});

test('a position from a query string only when it is one', () => {
  expect(readPosition('55.75', '37.61')).toEqual({ latitude: 55.75, longitude: 37.61 });
  for (const [lat, lon] of [
    ['', ''],
    ['x', '1'],
    ['91', '0'],
    ['0', '-181'],
    [undefined, '1'],
    ['Infinity', '0'],
  ])
    expect(readPosition(lat, lon), `${lat},${lon}`).toBeNull();
});
