import { z } from 'zod';
import { type CityDirectory, type CourierZone, zoneForAddress } from './delivery-zones.ts';
import { parseMsisdn } from './msisdn.ts';
import {
  type Delivery,
  type DeliveryAddress,
  DOCUMENT_TYPES,
  type DocumentType,
  REASONS,
  type Reason,
  type SimType,
} from './replacement.ts';
import { err, ok, type Result } from './result.ts';

/**
 * The online replacement wizard, one question per page. Which pages a draft needs, which
 * answers each accepts and where to go next are decided here, from the answers so far and what
 * the operator offers; the web layer only renders and stores.
 */

export const WIZARD_STEPS = ['reason', 'sim-type', 'delivery', 'center', 'contact', 'identity'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export type DraftAnswers = {
  reason: Reason | null;
  simType: SimType | null;
  delivery: Delivery | null;
  /** Courier delivery: the zone the address lies in, which sets the expected window and fee. */
  zoneId: string | null;
  centerId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  deliveryAddress: DeliveryAddress | null;
  documentUploaded: boolean;
};

export type WizardOffer = {
  esim: boolean;
  zones: readonly CourierZone[];
  /** Names of the cities the operator knows, for telling the zone of an address. */
  cities: CityDirectory;
  centerIds: readonly string[];
};

export const EMPTY_DRAFT: DraftAnswers = {
  reason: null,
  simType: null,
  delivery: null,
  zoneId: null,
  centerId: null,
  contactName: null,
  contactPhone: null,
  contactEmail: null,
  deliveryAddress: null,
  documentUploaded: false,
};

export function simTypesFor(reason: Reason | null, offer: WizardOffer): SimType[] {
  if (reason === 'switch_to_esim') return offer.esim ? ['esim'] : [];
  if (reason === 'new_size' || !offer.esim) return ['physical'];
  return ['physical', 'esim'];
}

/** Reasons the subscriber can choose: switching to eSIM only where the operator offers eSIM. */
export const reasonsFor = (offer: WizardOffer): Reason[] => REASONS.filter((r) => simTypesFor(r, offer).length > 0);

export function deliveriesFor(simType: SimType | null, offer: WizardOffer): Delivery[] {
  if (simType === 'esim') return ['esim'];
  return [
    ...(offer.zones.length > 0 ? ['courier' as const] : []),
    ...(offer.centerIds.length > 0 ? ['pickup' as const] : []),
  ];
}

/** The pages this draft needs, in order: a question with a single possible answer is skipped. */
export function stepsFor(a: DraftAnswers, offer: WizardOffer): WizardStep[] {
  const steps: WizardStep[] = ['reason'];
  if (simTypesFor(a.reason, offer).length > 1) steps.push('sim-type');
  if (a.simType !== 'esim') steps.push('delivery');
  if (a.delivery === 'pickup') steps.push('center');
  steps.push('contact', 'identity');
  return steps;
}

function answered(step: WizardStep, a: DraftAnswers, offer: WizardOffer): boolean {
  switch (step) {
    case 'reason':
      return a.reason !== null && reasonsFor(offer).includes(a.reason);
    case 'sim-type':
      return a.simType !== null && simTypesFor(a.reason, offer).includes(a.simType);
    case 'delivery':
      return a.delivery !== null && deliveriesFor(a.simType, offer).includes(a.delivery);
    case 'center':
      return a.centerId !== null && offer.centerIds.includes(a.centerId);
    case 'contact':
      return (
        a.contactName !== null &&
        a.contactPhone !== null &&
        (a.delivery !== 'courier' || (a.zoneId !== null && courierZone(a, offer) === a.zoneId))
      );
    case 'identity':
      return a.documentUploaded;
  }
}

/** The first page still to answer, or 'check' when every page needed is answered. */
export function nextStep(a: DraftAnswers, offer: WizardOffer): WizardStep | 'check' {
  return stepsFor(a, offer).find((s) => !answered(s, a, offer)) ?? 'check';
}

/** The page before `step`, for the back link; null on the first page. */
export function previousStep(step: WizardStep | 'check', a: DraftAnswers, offer: WizardOffer): WizardStep | null {
  const steps = stepsFor(a, offer);
  const i = step === 'check' ? steps.length : steps.indexOf(step);
  return i > 0 ? (steps[i - 1] ?? null) : null;
}

/**
 * Fills the answers a page was skipped for and drops those an earlier change made impossible
 * (say, a courier zone after switching to eSIM), so a draft never holds a contradiction.
 */
export function settle(a: DraftAnswers, offer: WizardOffer): DraftAnswers {
  const next = { ...a };
  const simTypes = simTypesFor(next.reason, offer);
  if (simTypes.length === 1) next.simType = simTypes[0] ?? null;
  else if (next.simType !== null && !simTypes.includes(next.simType)) next.simType = null;
  const deliveries = deliveriesFor(next.simType, offer);
  if (next.simType === 'esim') next.delivery = 'esim';
  else if (next.delivery !== null && !deliveries.includes(next.delivery)) next.delivery = null;
  if (next.delivery !== 'courier') next.deliveryAddress = null;
  next.zoneId = courierZone(next, offer);
  if (next.delivery !== 'pickup') next.centerId = null;
  return next;
}

/** The zone a courier draft's address lies in, or null (no courier, no address, or not served). */
function courierZone(a: DraftAnswers, offer: WizardOffer): string | null {
  if (a.delivery !== 'courier' || a.deliveryAddress === null) return null;
  const zone = zoneForAddress(offer.zones, offer.cities, a.deliveryAddress);
  return zone.ok ? zone.value : null;
}

export type WizardError =
  | 'wizard.reason_missing'
  | 'wizard.sim_type_missing'
  | 'wizard.delivery_missing'
  | 'wizard.center_missing'
  | 'wizard.name_missing'
  | 'wizard.name_too_long'
  | 'wizard.phone_invalid'
  | 'wizard.email_invalid'
  | 'wizard.city_missing'
  | 'wizard.street_missing'
  | 'wizard.building_missing'
  | 'wizard.postcode_invalid'
  | 'wizard.city_not_served'
  | 'wizard.postcode_mismatch'
  | 'wizard.text_too_long'
  | 'wizard.document_type_missing'
  | 'wizard.document_number_invalid';

export type StepErrors = Partial<Record<string, WizardError>>;

const text = (max: number, missing: WizardError) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(max, max > 100 ? 'wizard.text_too_long' : 'wizard.name_too_long');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'wizard.text_too_long')
    .transform((v) => v || undefined);

const addressSchema = z.object({
  city: text(100, 'wizard.city_missing'),
  street: text(200, 'wizard.street_missing'),
  building: text(20, 'wizard.building_missing'),
  flat: optionalText(20),
  postcode: z
    .string()
    .trim()
    .regex(/^(\d{6})?$/, 'wizard.postcode_invalid')
    .transform((v) => v || undefined),
  comment: optionalText(300),
});

const contactSchema = z.object({
  contactName: text(100, 'wizard.name_missing'),
  contactPhone: z.string(),
  contactEmail: z
    .string()
    .trim()
    .transform((v) => v || null)
    .pipe(z.email('wizard.email_invalid').max(254, 'wizard.email_invalid').nullable()),
});

export type ContactAnswers = Pick<DraftAnswers, 'contactName' | 'contactPhone' | 'contactEmail' | 'deliveryAddress'>;

function collect(issues: readonly z.core.$ZodIssue[], errors: StepErrors) {
  for (const issue of issues) {
    const field = String(issue.path.at(-1));
    errors[field] ??= issue.message as WizardError;
  }
}

/**
 * The contact page: a name and a phone to reach the subscriber, and the address for a courier,
 * which must lie in one of the operator's courier zones.
 */
export function readContact(
  input: Record<string, string | undefined>,
  delivery: Delivery | null,
  offer: WizardOffer,
): Result<ContactAnswers, StepErrors> {
  const field = (name: string) => input[name] ?? '';
  const errors: StepErrors = {};
  const contact = contactSchema.safeParse({
    contactName: field('contactName'),
    contactPhone: field('contactPhone'),
    contactEmail: field('contactEmail'),
  });
  if (!contact.success) collect(contact.error.issues, errors);
  const phone = parseMsisdn(field('contactPhone'));
  if (!phone.ok) errors.contactPhone = 'wizard.phone_invalid';

  let deliveryAddress: DeliveryAddress | null = null;
  if (delivery === 'courier') {
    const address = addressSchema.safeParse(
      Object.fromEntries(['city', 'street', 'building', 'flat', 'postcode', 'comment'].map((k) => [k, field(k)])),
    );
    if (address.success) {
      deliveryAddress = Object.fromEntries(
        Object.entries(address.data).filter(([, v]) => v !== undefined),
      ) as DeliveryAddress;
      const zone = zoneForAddress(offer.zones, offer.cities, deliveryAddress);
      if (!zone.ok && zone.error === 'zone.not_served') errors.city = 'wizard.city_not_served';
      if (!zone.ok && zone.error === 'zone.postcode_mismatch') errors.postcode = 'wizard.postcode_mismatch';
    } else collect(address.error.issues, errors);
  }
  if (Object.keys(errors).length > 0 || !contact.success || !phone.ok) return err(errors);
  return ok({
    contactName: contact.data.contactName,
    contactPhone: phone.value,
    contactEmail: contact.data.contactEmail,
    deliveryAddress,
  });
}

/** A document number as printed: letters, digits, spaces and dashes, 5 to 20 characters. */
export function readDocument(input: {
  docType?: string | undefined;
  docNumber?: string | undefined;
}): Result<{ docType: DocumentType; docNumber: string }, StepErrors> {
  const errors: StepErrors = {};
  const docType = DOCUMENT_TYPES.find((d) => d === input.docType);
  if (!docType) errors.docType = 'wizard.document_type_missing';
  const docNumber = (input.docNumber ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
  const digits = docNumber.replace(/[\s-]/g, '');
  if (!/^[\p{L}\d\s-]+$/u.test(docNumber) || digits.length < 5 || digits.length > 20)
    errors.docNumber = 'wizard.document_number_invalid';
  if (!docType || errors.docNumber) return err(errors);
  return ok({ docType, docNumber });
}
