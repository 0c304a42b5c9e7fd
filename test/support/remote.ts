import { setTimeout as sleep } from 'node:timers/promises';

export type Answer = { status: number; body: string; location: string | null; json<T>(): T };

/** The server is gone or restarting: the call may or may not have been done, and is repeated. */
export class Unreachable extends Error {}

/**
 * A client of the app process over real HTTP. A call cut off by a kill (connection refused or
 * reset, 502/503 while restarting) throws `Unreachable`; `again` repeats it until it is answered.
 */
export class Remote {
  readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly base: string) {}

  async send(
    method: string,
    path: string,
    init: { body?: string; type?: string; headers?: Record<string, string> } = {},
  ) {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          'accept-language': 'en',
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(init.type ? { 'content-type': init.type } : {}),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new Unreachable(String(error));
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw new Unreachable(String(error));
    }
    if (response.status === 502 || response.status === 503) throw new Unreachable(`answered ${response.status}`);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    this.csrf = body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? this.csrf;
    return {
      status: response.status,
      body,
      location: response.headers.get('location'),
      json: <T>() => JSON.parse(body) as T,
    } satisfies Answer;
  }

  get(path: string) {
    return this.send('GET', path);
  }

  /** A form post with the CSRF token of the last page read. */
  form(path: string, fields: Record<string, string> = {}) {
    return this.send('POST', path, {
      body: new URLSearchParams({ _csrf: this.csrf ?? '', ...fields }).toString(),
      type: 'application/x-www-form-urlencoded',
    });
  }
}

/** Repeats `call` while the server cannot be reached, up to a minute. */
export async function again<T>(call: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Unreachable) || i > 600) throw error;
      await sleep(100);
    }
  }
}
