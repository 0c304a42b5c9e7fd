import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SubscriberSession } from '../../../app/auth/sessions.ts';
import { DOCUMENT_MAX_BYTES } from '../../../app/documents/document-content.ts';
import type { Vault } from '../../../app/documents/identity-document.ts';
import type { Links } from '../../../app/operators/links.ts';
import type { SubscriberActor } from '../../../app/requests/replacement-draft.ts';
import type { Db } from '../../../db/client.ts';
import type { Assets } from '../../render.ts';

/** What the signed-in subscriber's routes share: ids in URLs, the actor, form fields and uploads. */

/** What every subscriber route plugin is given by the app. */
export type SubscriberRouteOptions = {
  assets: Assets;
  demo: boolean;
  db: Db;
  onOutboxWrite: () => void;
  vault: Vault;
  links: Links;
};

export { UUID } from '../../../domain/identifiers.ts';

export type Upload = { content: Buffer; truncated: boolean };
export type FormBody = Record<string, string | Upload | undefined>;

/** The signed-in subscriber's session; only for routes behind `requireSubscriber`. */
export const subscriberSession = (request: FastifyRequest) => request.session as SubscriberSession;

export function subscriberActor(request: FastifyRequest): SubscriberActor {
  const session = request.session as SubscriberSession;
  return { operatorId: session.operatorId, accountId: session.accountId, ip: request.ip };
}

export const formText = (body: FormBody | undefined, name: string) => {
  const v = body?.[name];
  return typeof v === 'string' ? v : undefined;
};

/** The typed fields of a form, to show again after a refusal. */
export const typedFields = (body: FormBody | undefined) =>
  Object.fromEntries(
    Object.entries(body ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
  );

/** An uploaded file that has content, or null when the field was left empty. */
export const uploaded = (body: FormBody | undefined, name: string): Upload | null => {
  const v = body?.[name];
  return typeof v === 'object' && v.content.length > 0 ? v : null;
};

/** Reads the one file of a form into memory, stopping just past the size limit. */
async function readUpload(part: MultipartFile) {
  const chunks: Buffer[] = [];
  for await (const chunk of part.file) chunks.push(chunk as Buffer);
  (part as unknown as { value: Upload }).value = { content: Buffer.concat(chunks), truncated: part.file.truncated };
}

/**
 * Multipart forms for the plugin registering it: fields arrive as strings next to the file, so
 * the CSRF check and the handlers read them as from any form.
 */
export function acceptDocumentUploads(app: FastifyInstance) {
  return app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    onFile: readUpload,
    throwFileSizeLimit: false,
    limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 1, fields: 8, fieldSize: 1000, parts: 10 },
  });
}
