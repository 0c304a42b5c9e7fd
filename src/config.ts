import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from './errors.ts';
import type { OutboundPolicy } from './integrations/outbound/partner-post.ts';
import type { S3Options } from './integrations/storage/s3-storage.ts';
import { localSecrets } from './local-secrets.ts';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATABASE_READ_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().default('./data'),
    DOCUMENTS_DIR: z.string().optional(),
    AUDIT_CHECKPOINT_DIR: z.string().optional(),
    AUDIT_CHECKPOINT_BUCKET: z.string().optional(),
    PDF_THREADS: z.coerce.number().int().min(1).max(64).optional(),
    AUDIT_KEY: z.string().min(32).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DOCUMENT_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    PAYMENT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DEMO: flag.optional(),
    DEFAULT_OPERATOR: z.string().optional(),
    TRUST_PROXY: flag.optional(),
    /** Internal hosts partners' webhooks and CAMARA sinks may name (comma-separated); public ones need no entry. */
    PARTNER_HOSTS: z.string().optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().default('simdesk <no-reply@simdesk.localhost>'),
    SMPP_URL: z
      .string()
      .regex(/^ssmpp?:\/\//, 'must be an smpp://system_id:password@host:port or ssmpp:// URL')
      .optional(),
    SMS_SENDER: z.string().max(11).default('simdesk'),
    PAYMENT_GATEWAY: z.enum(['sandbox', 'yookassa']).default('sandbox'),
    YOOKASSA_SHOP_ID: z.string().optional(),
    YOOKASSA_SECRET_KEY: z.string().optional(),
    YOOKASSA_API_URL: z.url().default('https://api.yookassa.ru/v3'),
    YOOKASSA_CHECKOUT_ORIGIN: z.url().default('https://yoomoney.ru'),
    PROVISIONING: z.enum(['simulator', 'http']).default('simulator'),
    PROVISIONING_URL: z.url().optional(),
    PROVISIONING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PROVISIONING_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PROVISIONING_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(300),
    PROVISIONING_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
    PROVISIONING_SIM_TIMEOUT_RATE: z.coerce.number().min(0).max(1).default(0),
    CARRIER: z.enum(['simulator', 'manual']).optional(),
    CARRIER_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SMDP: z.enum(['simulator', 'none']).optional(),
    SMDP_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SIMULATORS_ALLOWED: flag.optional(),
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    DOCUMENT_STORAGE: z.enum(['local', 's3']).default('local'),
    S3_BUCKET: z.string().optional(),
    S3_REGION: z.string().default('us-east-1'),
    S3_ENDPOINT: z.url().optional(),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_PREFIX: z
      .string()
      .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'lower-case letters, digits, - and /')
      .optional(),
    S3_FORCE_PATH_STYLE: flag.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_READ_URL && !env.DATABASE_URL)
      ctx.addIssue({ code: 'custom', path: ['DATABASE_READ_URL'], message: 'is a replica of DATABASE_URL: set both' });
    if (env.AUDIT_CHECKPOINT_BUCKET && env.DOCUMENT_STORAGE === 's3' && env.AUDIT_CHECKPOINT_BUCKET === env.S3_BUCKET)
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_CHECKPOINT_BUCKET'],
        message: "must not be the documents' bucket, whose retention sweep deletes what no document names",
      });
    if (env.DOCUMENT_STORAGE === 's3' && !env.S3_BUCKET)
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required with DOCUMENT_STORAGE=s3' });
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY))
      ctx.addIssue({
        code: 'custom',
        path: ['S3_SECRET_ACCESS_KEY'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together (or neither, for the SDK default chain)',
      });
    if (env.PAYMENT_GATEWAY === 'yookassa')
      for (const name of ['YOOKASSA_SHOP_ID', 'YOOKASSA_SECRET_KEY'] as const)
        if (!env[name])
          ctx.addIssue({ code: 'custom', path: [name], message: 'is required with PAYMENT_GATEWAY=yookassa' });
    if (env.PROVISIONING === 'http')
      for (const name of ['PROVISIONING_URL', 'PROVISIONING_SECRET'] as const)
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with PROVISIONING=http' });
    if (env.NODE_ENV !== 'production') return;
    if (!env.SIMULATORS_ALLOWED) {
      if (env.PAYMENT_GATEWAY === 'sandbox')
        ctx.addIssue({
          code: 'custom',
          path: ['PAYMENT_GATEWAY'],
          message:
            'is the sandbox, which takes test cards and moves no money: set PAYMENT_GATEWAY=yookassa, or SIMULATORS_ALLOWED=true for a staging deployment',
        });
      if (env.PROVISIONING === 'simulator')
        ctx.addIssue({
          code: 'custom',
          path: ['PROVISIONING'],
          message:
            'is the simulator, which never touches the network: set PROVISIONING=http, or SIMULATORS_ALLOWED=true for a staging deployment',
        });
      if (env.CARRIER === 'simulator')
        ctx.addIssue({
          code: 'custom',
          path: ['CARRIER'],
          message:
            'is the simulator, whose parcels go nowhere: leave it unset (tracking numbers typed by logistics), or SIMULATORS_ALLOWED=true for a staging deployment',
        });
      if (env.SMDP === 'simulator')
        ctx.addIssue({
          code: 'custom',
          path: ['SMDP'],
          message:
            'is the simulator, whose profiles no phone can download: leave it unset (eSIM profiles loaded into stock), or SIMULATORS_ALLOWED=true for a staging deployment',
        });
    }
    if (!env.SESSION_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'must be set to a secret of your own in production',
      });
    if (!env.DOCUMENT_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['DOCUMENT_KEY'],
        message: 'must be set to a key of your own in production',
      });
    if (env.PAYMENT_GATEWAY === 'sandbox' && !env.PAYMENT_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENT_WEBHOOK_SECRET'],
        message: 'must be set to the secret shared with the payment gateway in production',
      });
    if (!env.DATABASE_URL)
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production (PostgreSQL)' });
    if (!env.SMTP_URL)
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (e-mail delivery)' });
  });

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  /** A streaming replica of the database, for reads that tolerate lag; unset, they go to the primary. */
  databaseReadUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  /** Encrypted identity-document files: the local directory (also where `simdesk documents migrate` reads from). */
  documentsDir: string;
  /** Bearer token Prometheus scrapes `/metrics` with; unset, there is no metrics route. */
  metricsToken: string | undefined;
  /** Where identity documents are kept: `documentsDir`, or an S3-compatible bucket every instance shares. */
  documentStorage: { kind: 'local' } | ({ kind: 's3' } & S3Options);
  /**
   * Signs the audit log's checkpoints; the database never holds it, so whoever can write to the
   * database cannot rewrite the log and sign it again. Defaults to one derived from SESSION_SECRET.
   */
  auditKey: string;
  /** Where the signed checkpoints of the audit log are written: outside the database. */
  auditCheckpointDir: string;
  /** A bucket every instance writes checkpoints to instead (S3_* settings), ideally with Object Lock. */
  auditCheckpointBucket: S3Options | undefined;
  /** Worker threads rendering uploaded PDFs; by default one less than the cores, at most two. */
  pdfThreads: number | undefined;
  logLevel: string;
  sessionSecret: string;
  documentKey: Buffer;
  /** Signs and verifies the payment gateway's notifications (HMAC-SHA256). */
  paymentWebhookSecret: string;
  /** Demo mode seeds fictional data and shows the developer mailbox. */
  demo: boolean;
  defaultOperator: string | undefined;
  /** Behind a load balancer: take the client address and protocol from X-Forwarded-*. */
  trustProxy: boolean;
  /** Where partners' webhooks and CAMARA sinks may point besides public addresses. */
  partners: OutboundPolicy;
  /** Outgoing e-mail; unset outside production means messages only reach the developer mailbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** SMSC for codes to second phones; unset means the developer mailbox only. */
  smppUrl: string | undefined;
  /** SMS source address: an alphanumeric name of up to 11 characters or a number. */
  smsSender: string;
  /** The payment provider; the sandbox only where simulators are allowed. */
  payments:
    | { gateway: 'sandbox' }
    | { gateway: 'yookassa'; shopId: string; secretKey: string; apiUrl: string; checkoutOrigin: string };
  /** The network's provisioning system (HLR/HSS via the BSS); the simulator only where allowed. */
  provisioning:
    | { kind: 'simulator'; maxLatencyMs: number; failureRate: number; timeoutRate: number; timeoutMs: number }
    | { kind: 'http'; url: string; secret: string; timeoutMs: number };
  /** Booking parcels with a carrier; `manual` means logistics types the carrier and tracking number. */
  carrier: { kind: 'simulator'; webhookSecret: string } | { kind: 'manual' };
  /** Where eSIM profiles come from: an SM-DP+ ordered per request (ES2+), or `none` for profiles loaded into stock. */
  smdp: { kind: 'simulator'; webhookSecret: string } | { kind: 'none' };
};

export class ConfigError extends UserError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Secrets that may come from a file (`NAME_FILE`), as Docker and Kubernetes secrets are mounted. */
const SECRET_FILES = [
  'SESSION_SECRET',
  'DOCUMENT_KEY',
  'PAYMENT_WEBHOOK_SECRET',
  'AUDIT_KEY',
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'SMTP_URL',
  'SMPP_URL',
  'YOOKASSA_SECRET_KEY',
  'PROVISIONING_SECRET',
  'CARRIER_WEBHOOK_SECRET',
  'SMDP_WEBHOOK_SECRET',
  'S3_SECRET_ACCESS_KEY',
  'METRICS_TOKEN',
] as const;

function withSecretFiles(set: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...set };
  for (const name of SECRET_FILES) {
    const file = set[`${name}_FILE`];
    if (!file) continue;
    if (set[name]) throw new ConfigError([`${name}: set it or ${name}_FILE, not both`]);
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError([`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`]);
    }
  }
  return out;
}

/** Reads and validates the environment, listing every bad variable at once; empty means unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const set = withSecretFiles(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const s3Options = (bucket: string): S3Options => ({
    bucket,
    region: e.S3_REGION,
    endpoint: e.S3_ENDPOINT,
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
    ...(e.S3_PREFIX ? { prefix: e.S3_PREFIX } : {}),
  });
  // Outside production a missing secret is made once per data directory, never a shared constant.
  const missing = !e.SESSION_SECRET || !e.DOCUMENT_KEY || !e.PAYMENT_WEBHOOK_SECRET;
  const local = missing ? localSecrets(e.DATA_DIR) : null;
  const sessionSecret = e.SESSION_SECRET ?? (local?.sessionSecret as string);
  return {
    env: e.NODE_ENV,
    // The demo ships published passwords: it listens on this machine only unless told otherwise.
    host: e.HOST ?? ((e.DEMO ?? e.NODE_ENV !== 'production') ? '127.0.0.1' : '0.0.0.0'),
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    documentsDir: e.DOCUMENTS_DIR ?? `${e.DATA_DIR}/documents`,
    metricsToken: e.METRICS_TOKEN,
    documentStorage:
      e.DOCUMENT_STORAGE === 's3' ? { kind: 's3', ...s3Options(e.S3_BUCKET as string) } : { kind: 'local' },
    auditKey: e.AUDIT_KEY ?? derivedSecret(sessionSecret, 'audit-checkpoints'),
    auditCheckpointDir: e.AUDIT_CHECKPOINT_DIR ?? `${e.DATA_DIR}/audit-checkpoints`,
    auditCheckpointBucket: e.AUDIT_CHECKPOINT_BUCKET ? s3Options(e.AUDIT_CHECKPOINT_BUCKET) : undefined,
    pdfThreads: e.PDF_THREADS,
    logLevel: e.LOG_LEVEL,
    sessionSecret,
    documentKey: Buffer.from(e.DOCUMENT_KEY ?? (local?.documentKey as string), 'base64'),
    paymentWebhookSecret: e.PAYMENT_WEBHOOK_SECRET ?? (local?.paymentWebhookSecret as string),
    demo: e.DEMO ?? e.NODE_ENV !== 'production',
    defaultOperator: e.DEFAULT_OPERATOR,
    trustProxy: e.TRUST_PROXY ?? false,
    partners: {
      allowedHosts: (e.PARTNER_HOSTS ?? (e.NODE_ENV === 'production' ? '' : 'localhost,127.0.0.1,::1'))
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    smppUrl: e.SMPP_URL,
    smsSender: e.SMS_SENDER,
    payments:
      e.PAYMENT_GATEWAY === 'yookassa'
        ? {
            gateway: 'yookassa',
            shopId: e.YOOKASSA_SHOP_ID as string,
            secretKey: e.YOOKASSA_SECRET_KEY as string,
            apiUrl: e.YOOKASSA_API_URL,
            checkoutOrigin: new URL(e.YOOKASSA_CHECKOUT_ORIGIN).origin,
          }
        : { gateway: 'sandbox' },
    provisioning:
      e.PROVISIONING === 'http'
        ? {
            kind: 'http',
            url: e.PROVISIONING_URL as string,
            secret: e.PROVISIONING_SECRET as string,
            timeoutMs: e.PROVISIONING_TIMEOUT_MS,
          }
        : {
            kind: 'simulator',
            maxLatencyMs: e.PROVISIONING_SIM_LATENCY_MS,
            failureRate: e.PROVISIONING_SIM_FAILURE_RATE,
            timeoutRate: e.PROVISIONING_SIM_TIMEOUT_RATE,
            timeoutMs: e.PROVISIONING_TIMEOUT_MS,
          },
    carrier:
      (e.CARRIER ?? (e.NODE_ENV === 'production' ? 'manual' : 'simulator')) === 'simulator'
        ? {
            kind: 'simulator',
            webhookSecret: e.CARRIER_WEBHOOK_SECRET ?? derivedSecret(sessionSecret, 'carrier-webhook'),
          }
        : { kind: 'manual' },
    // Tests keep eSIM profiles in stock unless they ask for the SM-DP+; the demo orders them from its simulator.
    smdp:
      (e.SMDP ?? (e.NODE_ENV === 'development' ? 'simulator' : 'none')) === 'simulator'
        ? { kind: 'simulator', webhookSecret: e.SMDP_WEBHOOK_SECRET ?? derivedSecret(sessionSecret, 'smdp-webhook') }
        : { kind: 'none' },
  };
}

const derivedSecret = (secret: string, purpose: string) =>
  createHmac('sha256', secret).update(purpose).digest('base64url');
