import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DELIVERIES, REASONS, SIM_TYPES } from './replacement.ts';
import {
  type DraftAnswers,
  deliveriesFor,
  EMPTY_DRAFT,
  nextStep,
  previousStep,
  readContact,
  readDocument,
  reasonsFor,
  settle,
  simTypesFor,
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

describe('what each answer allows', () => {
  test('SIM types by reason, with and without eSIM on offer', () => {
    expect(REASONS.map((r) => [r, simTypesFor(r, full), simTypesFor(r, noEsim)])).toEqual(
      REASONS.map((r) => {
        if (r === 'switch_to_esim') return [r, ['esim'], []];
        if (r === 'new_size') return [r, ['physical'], ['physical']];
        return [r, ['physical', 'esim'], ['physical']];
      }),
    );
    expect(simTypesFor(null, full)).toEqual(['physical', 'esim']);
  });

  test('deliveries follow the SIM type and what the operator runs', () => {
    expect(deliveriesFor('esim', full)).toEqual(['esim']);
    expect(deliveriesFor('physical', full)).toEqual(['courier', 'pickup']);
    expect(deliveriesFor(null, full)).toEqual(['courier', 'pickup']);
    expect(deliveriesFor('physical', { ...full, zones: [] })).toEqual(['pickup']);
    expect(deliveriesFor('physical', { ...full, centerIds: [] })).toEqual(['courier']);
  });

  const complete = (offer: WizardOffer, a: Partial<DraftAnswers>): DraftAnswers =>
    settle(
      {
        ...EMPTY_DRAFT,
        reason: 'lost',
        simType: 'physical',
        delivery: 'pickup',
        centerId: 'c1',
        contactName: 'A',
        contactPhone: '+79161234567',
        documentUploaded: true,
        ...a,
      },
      offer,
    );

  test('an answer the offer no longer allows is asked again', () => {
    expect(nextStep(complete(full, {}), full)).toBe('check');
    expect(nextStep({ ...complete(full, {}), reason: 'switch_to_esim' }, noEsim)).toBe('reason');
    expect(nextStep({ ...complete(full, {}), reason: null }, full)).toBe('reason');
    expect(nextStep({ ...complete(full, {}), simType: null }, full)).toBe('sim-type');
    expect(nextStep({ ...complete(full, {}), delivery: null }, full)).toBe('delivery');
    expect(nextStep(complete(full, {}), { ...full, centerIds: [] })).toBe('delivery');
    expect(nextStep({ ...complete(full, {}), centerId: null }, full)).toBe('center');
    expect(nextStep({ ...complete(full, {}), contactName: null }, full)).toBe('contact');
    expect(nextStep({ ...complete(full, {}), contactPhone: null }, full)).toBe('contact');
    expect(nextStep({ ...complete(full, {}), documentUploaded: false }, full)).toBe('identity');
    expect(EMPTY_DRAFT.documentUploaded).toBe(false);
  });

  test('the back link from the check page is the last question; a page not needed has none', () => {
    const a = complete(full, {});
    expect(previousStep('check', a, full)).toBe('identity');
    expect(previousStep('identity', a, full)).toBe('contact');
    expect(previousStep('sim-type', a, noEsim)).toBeNull();
  });

  test('settling drops a delivery the operator stopped and a center once the delivery changes', () => {
    const settled = settle(complete(full, {}), { ...full, centerIds: [] });
    expect(settled).toMatchObject({ delivery: null, centerId: null });
    expect(settle(complete(full, {}), full)).toMatchObject({ delivery: 'pickup', centerId: 'c1', simType: 'physical' });
    expect(settle({ ...complete(full, {}), simType: 'esim' }, full)).toMatchObject({
      delivery: 'esim',
      centerId: null,
    });
  });
});

describe('limits on the contact page', () => {
  const base = { contactName: 'A', contactPhone: '+79161234567', city: 'Казань', street: 'S', building: '1' };

  test('long names, addresses and comments are refused on their field', () => {
    expect(readContact({ ...base, contactName: 'Я'.repeat(101) }, 'courier', full)).toEqual({
      ok: false,
      error: { contactName: 'wizard.name_too_long' },
    });
    expect(readContact({ ...base, contactName: 'Я'.repeat(100) }, 'courier', full).ok).toBe(true);
    expect(readContact({ ...base, street: 'S'.repeat(201) }, 'courier', full)).toEqual({
      ok: false,
      error: { street: 'wizard.text_too_long' },
    });
    expect(readContact({ ...base, building: '1'.repeat(21) }, 'courier', full)).toEqual({
      ok: false,
      error: { building: 'wizard.name_too_long' },
    });
    expect(readContact({ ...base, comment: 'c'.repeat(301) }, 'courier', full)).toEqual({
      ok: false,
      error: { comment: 'wizard.text_too_long' },
    });
    expect(readContact({ ...base, contactEmail: `${'a'.repeat(250)}@x.ru` }, 'courier', full)).toEqual({
      ok: false,
      error: { contactEmail: 'wizard.email_invalid' },
    });
  });

  test('optional parts are kept when given and left out when blank', () => {
    expect(
      readContact(
        { ...base, flat: ' 12 ', comment: ' ring twice ', postcode: '420111', contactEmail: ' a@b.ru ' },
        'courier',
        full,
      ),
    ).toEqual({
      ok: true,
      value: {
        contactName: 'A',
        contactPhone: '+79161234567',
        contactEmail: 'a@b.ru',
        deliveryAddress: {
          city: 'Казань',
          street: 'S',
          building: '1',
          flat: '12',
          comment: 'ring twice',
          postcode: '420111',
        },
      },
    });
    expect(readContact({ contactName: 'A' }, 'pickup', full)).toEqual({
      ok: false,
      error: { contactPhone: 'wizard.phone_invalid' },
    });
  });

  test('document numbers: exactly 5 to 20 letters or digits, nothing else anywhere', () => {
    expect(readDocument({ docType: 'passport_ru', docNumber: '12345' }).ok).toBe(true);
    expect(readDocument({ docType: 'passport_ru', docNumber: '1'.repeat(20) }).ok).toBe(true);
    expect(readDocument({ docType: 'passport_ru', docNumber: '1'.repeat(21) }).ok).toBe(false);
    expect(readDocument({ docType: 'passport_ru', docNumber: '12-3 4' }).ok).toBe(false);
    expect(readDocument({ docType: 'passport_ru', docNumber: '!123456' }).ok).toBe(false);
    expect(readDocument({ docType: 'passport_ru', docNumber: '123456!' }).ok).toBe(false);
    expect(readDocument({ docType: 'passport_ru' })).toEqual({
      ok: false,
      error: { docNumber: 'wizard.document_number_invalid' },
    });
    expect(readDocument({ docNumber: '123456' })).toEqual({
      ok: false,
      error: { docType: 'wizard.document_type_missing' },
    });
  });
});
