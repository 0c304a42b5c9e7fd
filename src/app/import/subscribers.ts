import { z } from 'zod';
import type { RawTx } from '../../db/client.ts';
import { LOCALES, type Locale } from '../../db/schema/columns.ts';
import { LINE_KINDS } from '../../db/schema/subscribers.ts';
import { parseIccid } from '../../domain/iccid.ts';
import { parseImsi } from '../../domain/imsi.ts';
import { parseMsisdn } from '../../domain/msisdn.ts';
import { parsePastInstant } from '../../domain/past-instant.ts';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/replacement.ts';
import { err, ok } from '../../domain/result.ts';
import { sealSecret } from '../secret-box.ts';
import type { ImportSpec, RejectedRow } from './csv-import.ts';

/** One line of one account; rows sharing an `account_ref` belong to the same account. */
export type SubscriberRow = {
  accountRef: string;
  fullName: string;
  email: string | null;
  secondPhone: string | null;
  locale: Locale;
  citizenship: string;
  msisdn: string;
  lineKind: (typeof LINE_KINDS)[number];
  iccid: string;
  imsi: string;
  /** The identity document of the contract, checked in person at the counter. */
  document: { docType: DocumentType; docNumber: string } | null;
  /** When the current SIM went into service, as billing knows it; unknown stays unknown, never "now". */
  simActivatedAt: string | null;
};

const email = z.email();

/**
 * Subscribers from the operator's billing system:
 * `account_ref,full_name,msisdn,iccid,imsi[,email][,second_phone][,locale][,citizenship][,line_kind]
 * [,document_type,document_number][,sim_activated_at]`. Each row becomes a line with its current SIM; imported
 * accounts have no password until the subscriber sets one through password recovery. The
 * contract's document number is sealed under `documentKey`, bound to the account it belongs to.
 */
export function subscribersSpec(operatorId: string, documentKey: Buffer, now = new Date()): ImportSpec<SubscriberRow> {
  const seenMsisdns = new Set<string>();
  const seenSims = new Set<string>();
  const emailOwner = new Map<string, string>();
  /** Each account as its first row in the file declares it, with the numbers of its lines so far. */
  const accountsSeen = new Map<string, { secondPhone: string | null; email: string | null; lines: Set<string> }>();
  return {
    columns: [
      'account_ref',
      'full_name',
      'email',
      'second_phone',
      'locale',
      'citizenship',
      'msisdn',
      'line_kind',
      'iccid',
      'imsi',
      'document_type',
      'document_number',
      'sim_activated_at',
    ],
    required: ['account_ref', 'full_name', 'msisdn', 'iccid', 'imsi'],
    validate(r) {
      if (!r.account_ref) return err('subscribers.account_ref');
      if (!r.full_name) return err('subscribers.full_name');
      const msisdn = parseMsisdn(r.msisdn ?? '');
      if (!msisdn.ok) return msisdn;
      let secondPhone: string | null = null;
      if (r.second_phone) {
        const parsed = parseMsisdn(r.second_phone);
        if (!parsed.ok) return err('subscribers.second_phone');
        if (parsed.value === msisdn.value) return err('subscribers.second_phone_same_line');
        secondPhone = parsed.value;
      }
      if (r.email && !email.safeParse(r.email).success) return err('subscribers.email');
      const locale = (r.locale || 'ru').toLowerCase() as Locale;
      if (!LOCALES.includes(locale)) return err('subscribers.locale');
      const citizenship = (r.citizenship || 'RU').toUpperCase();
      if (!/^[A-Z]{2}$/.test(citizenship)) return err('subscribers.citizenship');
      const lineKind = (r.line_kind || 'voice').toLowerCase() as SubscriberRow['lineKind'];
      if (!LINE_KINDS.includes(lineKind)) return err('subscribers.line_kind');
      const iccid = parseIccid(r.iccid ?? '');
      if (!iccid.ok) return iccid;
      const imsi = parseImsi(r.imsi ?? '');
      if (!imsi.ok) return imsi;
      const docType = DOCUMENT_TYPES.find((d) => d === r.document_type);
      const docNumber = r.document_number?.trim() ?? '';
      if ((r.document_type || docNumber) && (!docType || !docNumber || docNumber.length > 64))
        return err('subscribers.document');
      const simActivatedAt = r.sim_activated_at ? parsePastInstant(r.sim_activated_at, now) : null;
      if (r.sim_activated_at && !simActivatedAt) return err('subscribers.sim_activated_at');
      return ok({
        accountRef: r.account_ref,
        fullName: r.full_name,
        email: r.email ? r.email.toLowerCase() : null,
        secondPhone,
        locale,
        citizenship,
        msisdn: msisdn.value,
        lineKind,
        iccid: iccid.value,
        imsi: imsi.value.imsi,
        document: docType ? { docType, docNumber } : null,
        simActivatedAt: simActivatedAt?.toISOString() ?? null,
      });
    },
    seen(row) {
      if (seenMsisdns.has(row.msisdn)) return 'subscribers.duplicate_msisdn';
      if (seenSims.has(row.iccid) || seenSims.has(row.imsi)) return 'subscribers.duplicate_sim';
      const owner = row.email ? emailOwner.get(row.email) : undefined;
      if (owner !== undefined && owner !== row.accountRef) return 'subscribers.duplicate_email';
      // The account's details come from its first row; a later row may repeat them or leave them out.
      const account = accountsSeen.get(row.accountRef) ?? {
        secondPhone: row.secondPhone,
        email: row.email,
        lines: new Set(),
      };
      if (row.secondPhone && row.secondPhone !== account.secondPhone) return 'subscribers.second_phone_differs';
      if (row.email && row.email !== account.email) return 'subscribers.email_differs';
      // Codes must never reach a line of the same account: it may be the very phone that was stolen.
      if (account.secondPhone && (account.lines.has(account.secondPhone) || row.msisdn === account.secondPhone))
        return 'subscribers.second_phone_is_line';
      seenMsisdns.add(row.msisdn);
      seenSims.add(row.iccid).add(row.imsi);
      if (row.email) emailOwner.set(row.email, row.accountRef);
      account.lines.add(row.msisdn);
      accountsSeen.set(row.accountRef, account);
      return null;
    },
    async write(tx, rows) {
      const values = rows.map((r) => r.value);
      const taken = await tx.query<{ kind: string; value: string }>(
        `select 'msisdn' as kind, msisdn as value from lines where msisdn = any($1)
         union all select 'sim', iccid from sims where iccid = any($2)
         union all select 'sim', imsi from sims where imsi = any($3)
         union all select 'email', lower(email) from accounts
           where operator_id = $4 and lower(email) = any($5) and (import_ref is null or import_ref <> all($6))
         union all select 'second-phone', second_phone || ' ' || import_ref from accounts
           where operator_id = $4 and import_ref = any($6) and second_phone = any($1)`,
        [
          values.map((v) => v.msisdn),
          values.map((v) => v.iccid),
          values.map((v) => v.imsi),
          operatorId,
          values.flatMap((v) => v.email ?? []),
          values.map((v) => v.accountRef),
        ],
      );
      const takenSet = new Set(taken.map((t) => `${t.kind}:${t.value}`));
      const refused: RejectedRow[] = [];
      const accepted = rows.filter(({ line, value: v }) => {
        const reason = takenSet.has(`msisdn:${v.msisdn}`)
          ? 'subscribers.msisdn_exists'
          : takenSet.has(`sim:${v.iccid}`) || takenSet.has(`sim:${v.imsi}`)
            ? 'subscribers.sim_exists'
            : v.email && takenSet.has(`email:${v.email}`)
              ? 'subscribers.email_exists'
              : takenSet.has(`second-phone:${v.msisdn} ${v.accountRef}`)
                ? 'subscribers.second_phone_is_line'
                : null;
        if (reason) refused.push({ line, reason });
        return reason === null;
      });
      if (accepted.length === 0) return refused;
      const payload = JSON.stringify(accepted.map((r) => ({ ...r.value, line: r.line })));
      await tx.query(
        `insert into accounts (operator_id, import_ref, full_name, email, second_phone, locale, citizenship)
         select distinct on ("accountRef") $1::uuid, "accountRef", "fullName", email, "secondPhone", locale, citizenship
         from json_to_recordset($2::json) as r("accountRef" text, "fullName" text, email text, "secondPhone" text,
           locale text, citizenship text, line int)
         order by "accountRef", line
         on conflict (operator_id, import_ref) where import_ref is not null do nothing`,
        [operatorId, payload],
      );
      await tx.query(
        `with r as (
           select * from json_to_recordset($2::json) as r("accountRef" text, msisdn text, "lineKind" text,
             iccid text, imsi text, "simActivatedAt" timestamptz)
         ), l as (
           insert into lines (operator_id, account_id, msisdn, kind)
           select $1::uuid, a.id, r.msisdn, r."lineKind" from r
           join accounts a on a.operator_id = $1::uuid and a.import_ref = r."accountRef"
           returning id, msisdn
         )
         insert into sims (operator_id, iccid, imsi, form_factor, status, line_id, activated_at)
         select $1::uuid, r.iccid, r.imsi, 'triple', 'active', l.id, r."simActivatedAt" from r join l using (msisdn)`,
        [operatorId, payload],
      );
      await sealDocuments(
        tx,
        operatorId,
        documentKey,
        accepted.map((r) => r.value),
      );
      return refused;
    },
  };
}

/** The contract's document of each new account that has one, sealed with the account's id as its binding. */
async function sealDocuments(tx: RawTx, operatorId: string, documentKey: Buffer, rows: SubscriberRow[]) {
  const documents = new Map(rows.flatMap((r) => (r.document ? [[r.accountRef, r.document] as const] : [])));
  if (documents.size === 0) return;
  const accounts = await tx.query<{ id: string; ref: string }>(
    `select id, import_ref ref from accounts
      where operator_id = $1 and import_ref = any($2) and document_type is null`,
    [operatorId, [...documents.keys()]],
  );
  const sealed = accounts.map((a) => {
    const document = documents.get(a.ref) as NonNullable<SubscriberRow['document']>;
    return { id: a.id, type: document.docType, number: sealSecret(documentKey, document.docNumber, a.id) };
  });
  await tx.query(
    `update accounts a set document_type = d.type, document_number_encrypted = d.number
       from json_to_recordset($1::json) as d(id uuid, type text, number text) where a.id = d.id`,
    [JSON.stringify(sealed)],
  );
}
