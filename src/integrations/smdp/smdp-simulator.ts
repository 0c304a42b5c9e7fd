import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { completeIccid } from '../../domain/iccid.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import type { WebhookProblem } from '../payments/payment-gateway.ts';
import { NotificationSender, verifySignature, type WebhookTransport } from '../signed-notifications.ts';
import { type DownloadProgress, SmdpError, type SmdpPlus } from './smdp.ts';

export type SmdpSimulatorOptions = {
  webhookSecret: string;
  /** The address in activation codes. */
  address?: string;
  /** Each call takes a random time up to this long. */
  maxLatencyMs?: number;
  /** Share of calls failing with a retryable error (0–1), as an SM-DP+ under load does. */
  failureRate?: number;
};

/** ES2+ profile states, as SGP.22 names them. */
type ProfileState = 'Allocated' | 'Linked' | 'Confirmed' | 'Released' | 'Downloaded' | 'Installed' | 'Unavailable';
type Profile = { iccid: string; imsi: string; profileType: string; state: ProfileState; matchingId: string | null };

/** HandleDownloadProgressInfo as the SM-DP+ posts it (SGP.22 §5.3.5). */
const ProgressNotice = z.object({
  header: z.object({ functionRequesterIdentifier: z.string(), functionCallIdentifier: z.string().min(1) }),
  eid: z.string().regex(/^[0-9]{32}$/),
  iccid: z.string().regex(/^89[0-9]{17,18}$/),
  profileType: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  notificationPointId: z.number().int(),
  notificationPointStatus: z.object({ status: z.enum(['Executed-Success', 'Failed']) }),
});
type ProgressNoticeBody = z.infer<typeof ProgressNotice>;

/**
 * An SM-DP+ standing in for the operator's: it keeps its profiles in memory through the ES2+
 * states, answers after some latency, fails some calls, and honours idempotency keys. A
 * simulated phone (`installOnDevice`) downloads and installs a released profile by its matching
 * id, and the SM-DP+ tells simdesk each step with a signed HandleDownloadProgressInfo.
 */
export class SmdpSimulator implements SmdpPlus {
  readonly name = 'simulator';
  readonly address: string;
  readonly profiles = new Map<string, Profile>();
  private readonly answers = new Map<string, unknown>();
  private readonly notices: NotificationSender;

  constructor(private readonly options: SmdpSimulatorOptions) {
    this.address = options.address ?? 'smdp.simdesk.test';
    this.notices = new NotificationSender(options.webhookSecret);
  }

  connect(transport: WebhookTransport): void {
    this.notices.connect(transport);
  }

  flushNotifications(): Promise<void> {
    return this.notices.flush();
  }

  downloadOrder(call: { profileType: string; idempotencyKey: string }) {
    return this.once(call.idempotencyKey, 'DownloadOrder', () => {
      const serial = String(randomInt(1e11)).padStart(11, '0');
      const profile: Profile = {
        iccid: completeIccid(`8970199${serial}`),
        imsi: `25099${serial.slice(1)}`,
        profileType: call.profileType,
        state: 'Allocated',
        matchingId: null,
      };
      this.profiles.set(profile.iccid, profile);
      return { iccid: profile.iccid, imsi: profile.imsi };
    });
  }

  confirmOrder(call: { iccid: string; releaseFlag: boolean; idempotencyKey: string }) {
    return this.once(call.idempotencyKey, 'ConfirmOrder', () => {
      const profile = this.profile(call.iccid, ['Allocated', 'Linked']);
      profile.matchingId = randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase();
      profile.state = call.releaseFlag ? 'Released' : 'Confirmed';
      return { matchingId: profile.matchingId, smdpAddress: this.address };
    });
  }

  async releaseProfile(call: { iccid: string; idempotencyKey: string }) {
    await this.once(call.idempotencyKey, 'ReleaseProfile', () => {
      this.profile(call.iccid, ['Confirmed']).state = 'Released';
      return null;
    });
  }

  async cancelOrder(call: {
    iccid: string;
    finalProfileStatusIndicator: 'Available' | 'Unavailable';
    idempotencyKey: string;
  }) {
    await this.once(call.idempotencyKey, 'CancelOrder', () => {
      const profile = this.profile(call.iccid, [
        'Allocated',
        'Linked',
        'Confirmed',
        'Released',
        'Downloaded',
        'Installed',
      ]);
      if (call.finalProfileStatusIndicator === 'Available' && profile.state !== 'Installed') {
        this.profiles.delete(profile.iccid);
        return null;
      }
      profile.state = 'Unavailable';
      return null;
    });
  }

  /** A phone with `eid` scans the activation code: the profile is downloaded, then installed, each step notified. */
  installOnDevice(matchingId: string, eid = `89049032${String(randomInt(1e8)).padStart(8, '0')}${'0'.repeat(16)}`) {
    const profile = [...this.profiles.values()].find((p) => p.matchingId === matchingId);
    if (profile?.state !== 'Released') return false;
    for (const [pointId, state] of [
      [3, 'Downloaded'],
      [4, 'Installed'],
    ] as const) {
      profile.state = state;
      const notice: ProgressNoticeBody = {
        header: { functionRequesterIdentifier: 'smdp-simulator', functionCallIdentifier: randomUUID() },
        eid,
        iccid: profile.iccid,
        profileType: profile.profileType,
        timestamp: new Date().toISOString(),
        notificationPointId: pointId,
        notificationPointStatus: { status: 'Executed-Success' },
      };
      this.notices.send(JSON.stringify(notice));
    }
    return true;
  }

  readNotification(body: string, headers: IncomingHttpHeaders): Result<DownloadProgress, WebhookProblem> {
    const signed = verifySignature(this.options.webhookSecret, body, headers['x-smdp-signature']);
    if (!signed.ok) return signed;
    return readProgressNotice(body);
  }

  private profile(iccid: string, from: ProfileState[]): Profile {
    const profile = this.profiles.get(iccid);
    if (!profile) throw new SmdpError(`8.2.1 Profile ICCID ${iccid} unknown`, false);
    if (!from.includes(profile.state)) throw new SmdpError(`8.2.1 Profile ${iccid} is ${profile.state}`, false);
    return profile;
  }

  /** A call's first answer for its key; latency and simulated failures before anything is applied. */
  private async once<T>(key: string, fn: string, apply: () => T): Promise<T> {
    const { maxLatencyMs = 0, failureRate = 0 } = this.options;
    if (maxLatencyMs > 0) await sleep(randomInt(maxLatencyMs + 1));
    if (this.answers.has(key)) return this.answers.get(key) as T;
    if (Math.random() < failureRate) throw new SmdpError(`simulated ${fn} timeout`, true);
    const answer = apply();
    this.answers.set(key, answer);
    return answer;
  }
}

/** ES2+ notification points simdesk follows: 3 BPP download, 4 BPP installation. */
export function readProgressNotice(body: string): Result<DownloadProgress, WebhookProblem> {
  let parsed: ProgressNoticeBody;
  try {
    const read = ProgressNotice.safeParse(JSON.parse(body));
    if (!read.success) return err('webhook.malformed');
    parsed = read.data;
  } catch {
    return err('webhook.malformed');
  }
  const step =
    parsed.notificationPointStatus.status === 'Failed'
      ? 'failed'
      : parsed.notificationPointId === 3
        ? 'downloaded'
        : parsed.notificationPointId === 4
          ? 'installed'
          : null;
  if (!step) return err('webhook.unknown');
  return ok({
    eventId: parsed.header.functionCallIdentifier,
    iccid: parsed.iccid,
    step,
    at: new Date(parsed.timestamp),
  });
}

/** The SM-DP+ of the configuration: the simulator (quick in tests, with some latency elsewhere), or none. */
export function configuredSmdp(settings: {
  smdp: { kind: 'simulator'; webhookSecret: string } | { kind: 'none' };
  env: string;
}): SmdpSimulator | null {
  if (settings.smdp.kind !== 'simulator') return null;
  return new SmdpSimulator({
    webhookSecret: settings.smdp.webhookSecret,
    maxLatencyMs: settings.env === 'test' ? 0 : 400,
  });
}
