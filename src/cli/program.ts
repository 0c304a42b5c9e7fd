import { randomBytes } from 'node:crypto';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ZodError } from 'zod';
import { type Config, loadConfig } from '../config.ts';
import { API_SCOPES, type ApiScope } from '../db/schema/api.ts';
import { STAFF_ROLES } from '../db/schema/staff.ts';
import { UserError } from '../errors.ts';
import type { ImportKind } from './import-command.ts';
import type { Terminal } from './terminal.ts';
import { simdeskVersion } from './version.ts';

// Commands load their modules when they run, so that `--help` and configuration errors are quick.
async function openDatabase(config: Config) {
  const { openConfiguredDatabase } = await import('./database.ts');
  return openConfiguredDatabase(config);
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/**
 * The `simdesk` command line, run in-process: arguments, environment and terminal are
 * parameters, and the exit code is returned, so tests drive it like the shell does.
 */
export async function runCli(argv: string[], term: Terminal, env: NodeJS.ProcessEnv): Promise<number> {
  const program = new Command('simdesk')
    .description('SIM card replacement platform')
    .version(simdeskVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => term.out(s.trimEnd()), writeErr: (s) => term.err(s.trimEnd()) });
  let exitCode = 0;
  const config = () => loadConfig(env);

  program
    .command('serve')
    .description('migrate the database, seed demo data on an empty one (in demo mode) and start the web server')
    .action(async () => (await import('./serve.ts')).serve(config()));

  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      await (await openDatabase(config())).close();
      term.out('Database is up to date.');
    });

  program
    .command('seed')
    .description('load the fictional demo operators, centers, stock, subscribers and staff (idempotent)')
    .action(async () => {
      const settings = config();
      const { seedDemo } = await import('../app/seed/seed.ts');
      const db = await openDatabase(settings);
      try {
        const { created, skipped } = await seedDemo(db, settings.documentKey);
        term.out(`Seeded: ${created.join(', ') || 'nothing'}; already present: ${skipped.join(', ') || 'none'}.`);
      } finally {
        await db.close();
      }
    });

  const importCommand = program.command('import').description('bulk-load data from CSV files');
  const formats: Record<ImportKind, string> = {
    inventory: 'SIM stock: iccid,imsi,form_factor[,center][,batch][,esim_matching_id]',
    subscribers:
      'subscribers: account_ref,full_name,msisdn,iccid,imsi[,email][,second_phone][,locale][,citizenship][,line_kind][,document_type,document_number]',
    'sim-changes': 'SIM change history for the SIM Swap API: msisdn,changed_at (RFC 3339 with its time zone)',
  };
  for (const kind of ['inventory', 'subscribers', 'sim-changes'] as const satisfies ImportKind[]) {
    importCommand
      .command(`${kind} <file>`)
      .description(formats[kind])
      .requiredOption('--operator <slug>', 'operator the rows belong to')
      .option('--all-or-nothing', 'import nothing if any row is bad', false)
      .option('--batch-size <n>', 'rows per batch', positiveInt, 20_000)
      .action(async (file: string, options: { operator: string; allOrNothing: boolean; batchSize: number }) => {
        const { runImport } = await import('./import-command.ts');
        exitCode = await runImport(config(), kind, file, options, term);
      });
  }

  program
    .command('documents')
    .description('the identity documents store')
    .command('migrate')
    .description(
      'copy every document of the local DOCUMENTS_DIR into the S3 bucket DOCUMENT_STORAGE=s3 names; resumable: what the bucket has is skipped',
    )
    .action(async () => {
      const settings = config();
      if (settings.documentStorage.kind !== 's3')
        throw new UserError('Set DOCUMENT_STORAGE=s3 and the bucket (S3_BUCKET, S3_ENDPOINT, …) to migrate into.');
      const { migrateDocuments } = await import('../integrations/storage/migrate-documents.ts');
      const { LocalStorage } = await import('../integrations/storage/local-storage.ts');
      const { S3Storage } = await import('../integrations/storage/s3-storage.ts');
      const { kind: _s3, ...options } = settings.documentStorage;
      const moved = await migrateDocuments(new LocalStorage(settings.documentsDir), new S3Storage(options));
      term.out(`Copied ${moved.copied} documents into the bucket; ${moved.present} were there already.`);
    });

  program
    .command('operator')
    .description('operators (brands) served by this installation')
    .command('create')
    .description(
      'create an operator with a default zone and fee, and its first administrator, who is e-mailed a one-time link to set a password',
    )
    .requiredOption('--slug <slug>', 'short name, e.g. volna')
    .requiredOption('--name-ru <name>', 'name in Russian')
    .requiredOption('--name-en <name>', 'name in English')
    .requiredOption('--name-zh <name>', 'name in Chinese')
    .requiredOption('--host <host...>', "host names of the operator's site")
    .requiredOption('--time-zone <zone>', 'IANA time zone, e.g. Europe/Moscow')
    .requiredOption('--currency <code>', 'ISO 4217 currency, e.g. RUB')
    .requiredOption('--support-phone <phone>', "support's phone number")
    .requiredOption('--support-email <email>', "support's e-mail address")
    .requiredOption('--admin-name <name>', "the first administrator's full name")
    .requiredOption('--admin-email <email>', "the first administrator's e-mail, where the enrolment link goes")
    .option('--admin-locale <locale>', 'language of the enrolment e-mail (ru, en, zh)', 'en')
    .option('--print-link', 'also print the enrolment link, to hand over where no mail runs yet')
    .action(async (o: Record<string, string | string[] | boolean | undefined>) => {
      const settings = config();
      const { createOperator } = await import('../app/platform/create-operator.ts');
      const { ENROLMENT_HOURS } = await import('../app/staff/enrolment.ts');
      const { operatorLinks } = await import('../app/operators/links.ts');
      const { translator } = await import('../i18n/translate.ts');
      const db = await openDatabase(settings);
      try {
        const form = {
          slug: o.slug,
          nameRu: o.nameRu,
          nameEn: o.nameEn,
          nameZh: o.nameZh,
          hostnames: (o.host as string[]).join(' '),
          timeZone: o.timeZone,
          currency: o.currency,
          supportPhone: o.supportPhone,
          supportEmail: o.supportEmail,
          adminName: o.adminName,
          adminEmail: o.adminEmail,
          adminLocale: o.adminLocale,
        } as Record<string, string>;
        const links = operatorLinks(settings.publicUrl, settings.sessionSecret);
        const created = await createOperator(db.db, links, settings.documentKey, null, form);
        if (!created.ok) {
          const t = translator('en');
          const flag = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          const problems = Object.entries(created.error).map(
            ([field, key]) => `${flag(field === 'hostnames' ? 'host' : field)}: ${t(key as never)}`,
          );
          throw new UserError(`The operator was not created:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        }
        term.out(`Created operator ${form.slug} (${created.value.operatorId}).`);
        term.out(
          `Its administrator ${form.adminEmail} is e-mailed a link to set a password, once \`simdesk serve\` runs; it works once, for ${ENROLMENT_HOURS} hours.`,
        );
        if (o.printLink) term.out(`Enrolment link: ${created.value.enrolmentLink}`);
      } finally {
        await db.close();
      }
    });

  program
    .command('staff')
    .description('manage staff users')
    .command('create')
    .description('create a staff user; prints the password (unless given) and the TOTP enrolment URI')
    .requiredOption('--operator <slug>', 'operator')
    .requiredOption('--email <email>', 'sign-in e-mail')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--role <role...>', 'one or more roles').choices(STAFF_ROLES).makeOptionMandatory())
    .option('--center <code>', 'home service center (store agents)')
    .addOption(
      new Option('--password <password>', 'initial password (default: generated)').env('SIMDESK_STAFF_PASSWORD'),
    )
    .action(
      async (o: {
        operator: string;
        email: string;
        name: string;
        role: string[];
        center?: string;
        password?: string;
      }) => {
        const settings = config();
        const { createStaff } = await import('../app/staff/create-staff.ts');
        const db = await openDatabase(settings);
        try {
          const password = o.password ?? randomBytes(12).toString('base64url');
          const created = await createStaff(db.db, settings.documentKey, {
            operator: o.operator,
            email: o.email,
            fullName: o.name,
            roles: o.role as (typeof STAFF_ROLES)[number][],
            ...(o.center ? { center: o.center } : {}),
            password,
          });
          term.out(`Created staff user ${o.email} (${created.id}).`);
          if (!o.password) term.out(`Password: ${password}`);
          term.out(`Add to an authenticator app: ${created.totpUri}`);
        } finally {
          await db.close();
        }
      },
    );

  program
    .command('api-client')
    .description('API clients (banks, partners) calling with OAuth 2.0 client credentials')
    .command('create')
    .description('register an API client; prints its client id and secret (shown this once)')
    .requiredOption('--operator <slug>', 'operator')
    .requiredOption('--name <name>', 'who the client is, e.g. the bank')
    .addOption(new Option('--scope <scope...>', 'one or more scopes').choices(API_SCOPES).makeOptionMandatory())
    .action(async (o: { operator: string; name: string; scope: ApiScope[] }) => {
      const db = await openDatabase(config());
      try {
        const { createApiClient } = await import('../app/api/api-clients.ts');
        const { operatorIdBySlug } = await import('../app/operators/operator-profile.ts');
        const operatorId = await operatorIdBySlug(db, o.operator);
        if (!operatorId) throw new UserError(`Unknown operator "${o.operator}".`);
        const created = await createApiClient(db.db, { operatorId, name: o.name, scopes: o.scope });
        term.out(`client_id: ${created.clientId}`);
        term.out(`client_secret: ${created.secret}`);
        term.out('Keep the secret now: only its hash is stored.');
      } finally {
        await db.close();
      }
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'walk the hash chain and compare it with the signed checkpoints; exit code 1 and the first edited, deleted, reordered or cut-off entry if broken',
    )
    .option('--operator <slug>', 'also count the entries of this operator')
    .action(async (o: { operator?: string }) => {
      const db = await openDatabase(config());
      try {
        const { auditReport } = await import('./audit-command.ts');
        const { configuredAuditAnchor } = await import('../app/audit/audit-log.ts');
        exitCode = await auditReport(db.db, configuredAuditAnchor(config()), o.operator, term);
      } finally {
        await db.close();
      }
    });
  audit
    .command('checkpoint')
    .description("sign the chain's head now and write it to AUDIT_CHECKPOINT_DIR (simdesk serve does it every minute)")
    .action(async () => {
      const db = await openDatabase(config());
      try {
        const { auditCheckpointWriter, configuredAuditAnchor } = await import('../app/audit/audit-log.ts');
        const written = await auditCheckpointWriter(db.db, configuredAuditAnchor(config()))();
        term.out(
          written ? `Checkpoint of entry ${written.lastId} (${written.rows} entries) written.` : 'The log is empty.',
        );
      } finally {
        await db.close();
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UserError) term.err(e.message);
    else if (e instanceof ZodError) term.err(e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT') term.err((e as Error).message);
    else throw e;
    return 1;
  }
}
