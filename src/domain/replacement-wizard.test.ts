import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DELIVERIES, REASONS, SIM_TYPES } from './replacement.ts';
import {
  type DraftAnswers,
  EMPTY_DRAFT,
  nextStep,
  previousStep,
  readContact,
  readDocument,
  reasonsFor,
  settle,
  stepsFor,
  type WizardOffer,
} from './replacement-wizard.ts';

const full: WizardOffer = {
  esim: true,
  zones: [
    { id: 'z1', cityKeys: ['kazan'], postcodePrefixes: [], isDefault: false },
    { id: 'z2', cityKeys: [], postcodePrefixes: [], isDefault: true },
  ],
  cities: { казань: 'kazan' },
  centerIds: ['c1'],
};
const noEsim: WizardOffer = { ...full, esim: false };

describe('which pages a draft needs', () => {
  test('a physical SIM by courier asks everything but the center', () => {
    const a = settle({ ...EMPTY_DRAFT, reason: 'lost', simType: 'physical', delivery: 'courier' }, full);
    expect(stepsFor(a, full)).toEqual(['reason', 'sim-type', 'delivery', 'contact', 'identity']);
    expect(nextStep(a, full)).toBe('contact');
    expect(previousStep('contact', a, full)).toBe('delivery');
    expect(previousStep('reason', a, full)).toBeNull();
  });

  test('switching to eSIM implies the SIM type and the delivery, so neither is asked', () => {
    const a = settle({ ...EMPTY_DRAFT, reason: 'switch_to_esim' }, full);
    expect(a).toMatchObject({ simType: 'esim', delivery: 'esim' });
    expect(stepsFor(a, full)).toEqual(['reason', 'contact', 'identity']);
    expect(reasonsFor(noEsim)).not.toContain('switch_to_esim');
  });

  test('pickup adds the center question; changing to courier drops the center', () => {
    const pickup = settle({ ...EMPTY_DRAFT, reason: 'damaged', simType: 'physical', delivery: 'pickup' }, full);
    expect(stepsFor(pickup, full)).toContain('center');
    expect(nextStep(pickup, full)).toBe('center');
    const courier = settle({ ...pickup, centerId: 'c1', delivery: 'courier' }, full);
    expect(courier.centerId).toBeNull();
    expect(stepsFor(courier, full)).not.toContain('center');
  });

  test('a complete draft goes to check; the courier zone comes from the address, not from the subscriber', () => {
    const done: DraftAnswers = settle(
      {
        ...EMPTY_DRAFT,
        reason: 'lost',
        simType: 'physical',
        delivery: 'courier',
        zoneId: 'z2',
        contactName: 'A',
        contactPhone: '+79161234567',
        deliveryAddress: { city: 'Казань', street: 'Баумана', building: '1' },
        documentUploaded: true,
      },
      full,
    );
    expect(done.zoneId).toBe('z1');
    expect(nextStep(done, full)).toBe('check');
    expect(nextStep({ ...done, zoneId: 'z2' }, full)).toBe('contact');
    expect(nextStep({ ...done, centerId: 'gone', delivery: 'pickup' }, full)).toBe('center');
  });

  test('an address no zone serves leaves the contact page unanswered', () => {
    const moscowOnly: WizardOffer = {
      ...full,
      zones: [{ id: 'z1', cityKeys: ['kazan'], postcodePrefixes: [], isDefault: false }],
    };
    const far = settle(
      {
        ...EMPTY_DRAFT,
        reason: 'lost',
        simType: 'physical',
        delivery: 'courier',
        contactName: 'A',
        contactPhone: '+79161234567',
        deliveryAddress: { city: 'Владивосток', street: 'Светланская', building: '1' },
        documentUploaded: true,
      },
      moscowOnly,
    );
    expect(far.zoneId).toBeNull();
    expect(nextStep(far, moscowOnly)).toBe('contact');
  });

  const answers = fc.record({
    reason: fc.constantFrom(null, ...REASONS),
    simType: fc.constantFrom(null, ...SIM_TYPES),
    delivery: fc.constantFrom(null, ...DELIVERIES),
    zoneId: fc.constantFrom(null, 'z1', 'zx'),
    centerId: fc.constantFrom(null, 'c1', 'cx'),
    contactName: fc.constantFrom(null, 'A'),
    contactPhone: fc.constantFrom(null, '+79161234567'),
    contactEmail: fc.constant(null),
    deliveryAddress: fc.constantFrom(null, { city: 'a', street: 'b', building: 'c' }),
    documentUploaded: fc.boolean(),
  });

  test('settling is idempotent and never leaves a contradiction; the next page is always one the draft needs', () => {
    fc.assert(
      fc.property(answers, fc.constantFrom(full, noEsim), (a, offer) => {
        const s = settle(a, offer);
        expect(settle(s, offer)).toEqual(s);
        if (s.delivery !== 'courier') expect(s.zoneId === null && s.deliveryAddress === null).toBe(true);
        if (s.delivery === 'courier' && s.deliveryAddress) expect(s.zoneId).toBe('z2');
        if (s.delivery !== 'pickup') expect(s.centerId).toBeNull();
        if (s.simType === 'esim') expect(s.delivery).toBe('esim');
        const next = nextStep(s, offer);
        if (next !== 'check') expect(stepsFor(s, offer)).toContain(next);
      }),
    );
  });
});

describe('reading the contact page', () => {
  test('a number in any format is stored in E.164 and the address trimmed', () => {
    const read = readContact(
      {
        contactName: ' Анна ',
        contactPhone: '8 (916) 123-45-67',
        contactEmail: '',
        city: 'Казань',
        street: 'Баумана',
        building: '5',
        flat: '',
        postcode: '',
      },
      'courier',
      full,
    );
    expect(read).toEqual({
      ok: true,
      value: {
        contactName: 'Анна',
        contactPhone: '+79161234567',
        contactEmail: null,
        deliveryAddress: { city: 'Казань', street: 'Баумана', building: '5' },
      },
    });
  });

  test('every problem is reported at once, by field', () => {
    const read = readContact(
      { contactName: '', contactPhone: '123', contactEmail: 'nope', postcode: '12' },
      'courier',
      full,
    );
    expect(read).toEqual({
      ok: false,
      error: {
        contactName: 'wizard.name_missing',
        contactPhone: 'wizard.phone_invalid',
        contactEmail: 'wizard.email_invalid',
        city: 'wizard.city_missing',
        street: 'wizard.street_missing',
        building: 'wizard.building_missing',
        postcode: 'wizard.postcode_invalid',
      },
    });
  });

  test('no address is asked for pickup', () => {
    expect(readContact({ contactName: 'A', contactPhone: '+79161234567' }, 'pickup', full)).toMatchObject({
      ok: true,
      value: { deliveryAddress: null },
    });
  });
});

test('a courier address outside every zone, or a postcode of another city, is refused on its field', () => {
  const contact = { contactName: 'A', contactPhone: '+79161234567', street: 'S', building: '1' };
  const kazanOnly: WizardOffer = {
    ...full,
    zones: [{ id: 'z1', cityKeys: ['kazan'], postcodePrefixes: ['420'], isDefault: false }],
  };
  expect(readContact({ ...contact, city: 'Омск' }, 'courier', kazanOnly)).toEqual({
    ok: false,
    error: { city: 'wizard.city_not_served' },
  });
  const twoZones: WizardOffer = {
    ...full,
    zones: [...kazanOnly.zones, { id: 'z3', cityKeys: [], postcodePrefixes: ['644'], isDefault: true }],
  };
  expect(readContact({ ...contact, city: 'Казань', postcode: '644000' }, 'courier', twoZones)).toEqual({
    ok: false,
    error: { postcode: 'wizard.postcode_mismatch' },
  });
});

test('document numbers keep letters, digits, spaces and dashes, 5 to 20 of them', () => {
  expect(readDocument({ docType: 'passport_ru', docNumber: ' 45 06  123456 ' })).toEqual({
    ok: true,
    value: { docType: 'passport_ru', docNumber: '45 06 123456' },
  });
  expect(readDocument({ docType: 'passport_foreign', docNumber: 'e1234567' })).toMatchObject({
    value: { docNumber: 'E1234567' },
  });
  expect(readDocument({ docType: 'visa', docNumber: '1234' })).toEqual({
    ok: false,
    error: { docType: 'wizard.document_type_missing', docNumber: 'wizard.document_number_invalid' },
  });
  expect(readDocument({ docType: 'other', docNumber: '<script>1</script>' })).toMatchObject({ ok: false });
});
