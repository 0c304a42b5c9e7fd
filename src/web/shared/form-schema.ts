import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media types a POST route reads; a form (urlencoded) unless it says otherwise. */
    accepts?: readonly MediaType[];
  }
}

type MediaType = 'application/x-www-form-urlencoded' | 'multipart/form-data' | 'application/json';
const FORM: readonly MediaType[] = ['application/x-www-form-urlencoded'];

/**
 * One form field: a string (a repeated field or a JSON value is not), never longer than `max`
 * and without control characters, which no keyboard types and PostgreSQL refuses (NUL).
 * The limits sit above what the domain accepts: the domain's own check gives the translated,
 * field-by-field message with everything typed kept; this one only stops what no form sends.
 */
export const line = (max = 200) => ({ type: 'string', maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
/** Free text that may span lines (a courier comment): tabs and line breaks allowed. */
export const text = (max = 2_000) => ({
  type: 'string',
  maxLength: max,
  pattern: '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$',
});
/** The one file of a multipart form, as the upload reader leaves it. */
export const file = { type: 'object', required: ['content'] };
/** A password: any printable characters, capped so that hashing it stays cheap. */
export const secret = line(1_024);

/** Where to go after the form: any string, since `returnPath` turns anything but a page of ours into /account. */
export const returnTo = { type: 'string', maxLength: 2_048 };

/** A group of checkboxes: one value, or several with the same name. */
export const choices = (max = 40, count = 10) => ({
  anyOf: [line(max), { type: 'array', items: line(max), maxItems: count }],
});

type Field = ReturnType<typeof line> | typeof file | typeof returnTo | ReturnType<typeof choices>;

/**
 * Route options for a form: its fields (plus the CSRF token) and the media types it is posted
 * as. Unknown fields are dropped; a field of the wrong shape answers 400 before the handler.
 */
export function formRoute(fields: Record<string, Field>, accepts: readonly MediaType[] = FORM): RouteShorthandOptions {
  return {
    schema: {
      body: { type: 'object', properties: { _csrf: line(200), ...fields }, additionalProperties: false },
    },
    config: { accepts },
  };
}

const mediaType = (header: string | undefined) => header?.split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Every POST is refused with 415 unless its body is of a media type the route reads: form
 * routes are not JSON endpoints, and a parser never runs on a body no route expects.
 */
async function formBodies(app: FastifyInstance) {
  // After onRequest (language, operator, session are known for the error page), before any parser.
  app.addHook('preParsing', async (request) => {
    if (request.method !== 'POST') return;
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || 'transfer-encoding' in request.headers;
    if (!hasBody) return;
    const accepts = request.routeOptions.config.accepts ?? FORM;
    if (!accepts.includes(mediaType(request.headers['content-type']) as MediaType))
      throw Object.assign(new Error('Unsupported media type'), {
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      });
  });
}

export const formBodiesPlugin = fp(formBodies, { name: 'form-bodies' });
