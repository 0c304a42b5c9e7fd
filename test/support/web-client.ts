import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/app/seed/demo-subscribers.ts';
import { DEMO_STAFF_PASSWORD, DEMO_STAFF_TOTP_SECRET } from '../../src/app/seed/seed.ts';
import type { Database } from '../../src/db/client.ts';

/**
 * A minimal browser for `inject`: keeps cookies between requests, posts forms as
 * application/x-www-form-urlencoded and reads the CSRF token from the last page.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  last: LightMyRequestResponse | null = null;
  private token: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(url: string) {
    return this.send('GET', url);
  }

  /** Posts a form; the CSRF token of the last page that had one is added unless the fields set `_csrf`. */
  async post(url: string, fields: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.csrf() ?? '', ...fields }).toString();
    return this.send('POST', url, body, 'application/x-www-form-urlencoded');
  }

  /** Posts a multipart form, as a browser does for a form with a file input. */
  async postMultipart(
    url: string,
    fields: Record<string, string>,
    file?: { name: string; filename: string; content: Buffer; type: string },
  ) {
    const boundary = `----simdesk${Date.now().toString(16)}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries({ _csrf: this.csrf() ?? '', ...fields }))
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    if (file)
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.content,
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.send('POST', url, Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
  }

  /** Fetches `page` first, then posts the form with that page's CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string>) {
    await this.get(page);
    return this.post(action, fields);
  }

  csrf(): string | undefined {
    return this.token;
  }

  private async send(method: 'GET' | 'POST', url: string, payload?: string | Buffer, contentType?: string) {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...this.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    this.last = res;
    this.token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? this.token;
    return res;
  }
}

/**
 * A client signed in as the demo subscriber with this number, having opened the account page,
 * reading pages in `lang` as chosen on this device (which wins over the account's language).
 */
export async function signedInClient(app: FastifyInstance, phone: string, lang = 'en', host = 'localhost') {
  const c = new WebClient(app, { 'accept-language': lang, host });
  c.cookies.set('lang', lang);
  const res = await c.submit('/login', '/login', { phone, password: DEMO_PASSWORD, next: '/account' });
  expect(res.statusCode).toBe(303);
  await c.get('/account');
  return c;
}

/**
 * A client signed in as a demo staff member through both steps, reading pages in English, on
 * the staff home page. A code is accepted once per 30-second step, so the member's last
 * accepted step is forgotten first, as if their previous sign-in were long ago.
 */
export async function staffClient(
  app: FastifyInstance,
  database: Database,
  email: string,
  host = 'localhost',
  password = DEMO_STAFF_PASSWORD,
) {
  await database.raw.query('update staff_users set totp_last_step = null where lower(email) = lower($1)', [email]);
  const client = new WebClient(app, { host, 'accept-language': 'en' });
  await client.submit('/staff', '/staff', { email, password });
  await client.get('/staff/totp');
  const done = await client.post('/staff/totp', { code: await generate({ secret: DEMO_STAFF_TOTP_SECRET }) });
  expect(done.headers.location, done.body.slice(0, 200)).toBe('/staff/home');
  return client;
}
