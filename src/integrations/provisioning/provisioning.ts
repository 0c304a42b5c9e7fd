/**
 * The operator's network provisioning (HLR/HSS, via its BSS): what simdesk asks of it. Every call
 * carries an idempotency key; repeating a call with the same key has no further effect.
 */
export interface Provisioning {
  /** Bars all service on the number (lost or stolen SIM). */
  suspendLine(call: { msisdn: string; idempotencyKey: string }): Promise<void>;
  resumeLine(call: { msisdn: string; idempotencyKey: string }): Promise<void>;
  /** Moves the number to the new SIM's IMSI and cuts the old SIM off, as one operation. */
  swapSim(call: { msisdn: string; newIccid: string; newImsi: string; idempotencyKey: string }): Promise<void>;
}

/** A failed call; `retryable` says whether trying again later can succeed. */
export class ProvisioningError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
