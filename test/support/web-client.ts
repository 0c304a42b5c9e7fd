import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

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
    return this.send('POST', url, body);
  }

  /** Fetches `page` first, then posts the form with that page's CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string>) {
    await this.get(page);
    return this.post(action, fields);
  }

  csrf(): string | undefined {
    return this.token;
  }

  private async send(method: 'GET' | 'POST', url: string, payload?: string) {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...this.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(payload === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
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
