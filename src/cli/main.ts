import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ZodError } from 'zod';
import { type Config, loadConfig } from '../config.ts';
import { STAFF_ROLES } from '../db/schema/staff.ts';
import { UserError } from '../errors.ts';
import type { ImportKind } from './import-command.ts';

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

const program = new Command('simdesk').description('SIM card replacement platform').showHelpAfterError();

program
  .command('serve')
  .description('migrate the database, seed demo data on an empty one (in demo mode) and start the web server')
  .action(async () => (await import('./serve.ts')).serve(loadConfig()));

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    await (await openDatabase(loadConfig())).close();
    console.log('Database is up to date.');
  });

program
  .command('seed')
  .description('load the fictional demo operators, centers, stock, subscribers and staff (idempotent)')
  .action(async () => {
    const config = loadConfig();
    const { seedDemo } = await import('../app/seed/seed.ts');
    const db = await openDatabase(config);
    try {
      const { created, skipped } = await seedDemo(db, config.documentKey);
      console.log(`Seeded: ${created.join(', ') || 'nothing'}; already present: ${skipped.join(', ') || 'none'}.`);
    } finally {
      await db.close();
    }
  });

const importCommand = program.command('import').description('bulk-load data from CSV files');
for (const kind of ['inventory', 'subscribers'] as const satisfies ImportKind[]) {
  importCommand
    .command(`${kind} <file>`)
    .description(
      kind === 'inventory'
        ? 'SIM stock: iccid,imsi,form_factor[,center][,batch][,esim_matching_id]'
        : 'subscribers: account_ref,full_name,msisdn,iccid,imsi[,email][,second_phone][,locale][,citizenship][,line_kind]',
    )
    .requiredOption('--operator <slug>', 'operator the rows belong to')
    .option('--all-or-nothing', 'import nothing if any row is bad', false)
    .option('--batch-size <n>', 'rows per batch', positiveInt, 20_000)
    .action(async (file: string, options: { operator: string; allOrNothing: boolean; batchSize: number }) => {
      const { runImport } = await import('./import-command.ts');
      process.exitCode = await runImport(loadConfig(), kind, file, options);
    });
}

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
  .addOption(new Option('--password <password>', 'initial password (default: generated)').env('SIMDESK_STAFF_PASSWORD'))
  .action(
    async (o: {
      operator: string;
      email: string;
      name: string;
      role: string[];
      center?: string;
      password?: string;
    }) => {
      const config = loadConfig();
      const { createStaff } = await import('../app/staff/create-staff.ts');
      const db = await openDatabase(config);
      try {
        const password = o.password ?? randomBytes(12).toString('base64url');
        const created = await createStaff(db.db, config.documentKey, {
          operator: o.operator,
          email: o.email,
          fullName: o.name,
          roles: o.role as (typeof STAFF_ROLES)[number][],
          ...(o.center ? { center: o.center } : {}),
          password,
        });
        console.log(`Created staff user ${o.email} (${created.id}).`);
        if (!o.password) console.log(`Password: ${password}`);
        console.log(`Add to an authenticator app: ${created.totpUri}`);
      } finally {
        await db.close();
      }
    },
  );

try {
  await program.parseAsync();
} catch (e) {
  if (e instanceof UserError) console.error(e.message);
  else if (e instanceof ZodError) console.error(e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  else if ((e as NodeJS.ErrnoException).code === 'ENOENT') console.error((e as Error).message);
  else throw e;
  process.exitCode = 1;
}
