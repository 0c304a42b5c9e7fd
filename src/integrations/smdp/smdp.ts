import type { IncomingHttpHeaders } from 'node:http';
import type { Result } from '../../domain/result.ts';
import type { WebhookProblem } from '../payments/payment-gateway.ts';

/**
 * The operator's SM-DP+ as simdesk uses it, modelled on GSMA SGP.22 ES2+ (operator ↔ SM-DP+).
 * Every call carries an idempotency key (ES2+'s functionCallIdentifier); repeating a call with
 * the same key returns its first answer and changes nothing more.
 */
export interface SmdpPlus {
  readonly name: string;
  /** DownloadOrder: reserves a fresh profile of the type; its ICCID and IMSI. */
  downloadOrder(call: { profileType: string; idempotencyKey: string }): Promise<{ iccid: string; imsi: string }>;
  /**
   * ConfirmOrder: links the profile to a new matching id (the activation code's). With
   * `releaseFlag` false it cannot be downloaded until ReleaseProfile.
   */
  confirmOrder(call: {
    iccid: string;
    releaseFlag: boolean;
    idempotencyKey: string;
  }): Promise<{ matchingId: string; smdpAddress: string }>;
  /** ReleaseProfile: the profile may now be downloaded with its activation code. */
  releaseProfile(call: { iccid: string; idempotencyKey: string }): Promise<void>;
  /** CancelOrder: the order ends; `Available` returns an unused profile to the pool, `Unavailable` retires it. */
  cancelOrder(call: {
    iccid: string;
    finalProfileStatusIndicator: 'Available' | 'Unavailable';
    idempotencyKey: string;
  }): Promise<void>;
  /** HandleDownloadProgressInfo, once proven genuine (signature and age). */
  readNotification(body: string, headers: IncomingHttpHeaders): Result<DownloadProgress, WebhookProblem>;
}

/** What a device did with a profile, from ES2+ notification points 3 (BPP download) and 4 (BPP installation). */
export type DownloadProgress = {
  /** The notification's functionCallIdentifier: the same notice sent twice has the same one. */
  eventId: string;
  iccid: string;
  step: 'downloaded' | 'installed' | 'failed';
  at: Date;
};

/** A failed ES2+ call; `retryable` says whether trying again later can succeed. */
export class SmdpError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
