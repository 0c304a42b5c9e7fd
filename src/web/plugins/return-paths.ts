import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

declare module 'fastify' {
  interface FastifyInstance {
    /** `value` when it is a page of this site to come back to (sign-in, language switch), else `fallback`. */
    returnPath(value: unknown, fallback?: string): string;
  }
}

/** Any origin of our own: a path parsed against it must keep it, or it points elsewhere. */
const OWN_ORIGIN = 'https://simdesk.invalid';
/** Control characters, whitespace and backslashes: URL parsers drop or reinterpret each of them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\\]/;
const MAX_LENGTH = 2_048;

/**
 * A return path is accepted only if it is a plain same-origin path (no scheme, host, control
 * character or backslash that a browser would resolve to another site) that `isPage` knows.
 */
export function returnPath(value: unknown, isPage: (path: string) => boolean, fallback = '/account'): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !value.startsWith('/') || UNSAFE.test(value))
    return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}`;
  return url.origin === OWN_ORIGIN && path === value && isPage(url.pathname) ? path : fallback;
}

/**
 * Keeps the site's own GET pages in a router of their own, so a return path is checked against
 * the route table instead of a pattern; registered before the routes it learns.
 */
async function returnPaths(app: FastifyInstance) {
  const pages = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('GET') && !route.url.startsWith('/lang/') && !route.url.includes('*'))
      pages.on('GET', route.url, () => {});
  });
  const isPage = (path: string) => pages.find('GET', path) !== null;
  app.decorate('returnPath', (value: unknown, fallback?: string) => returnPath(value, isPage, fallback));
}

export const returnPathsPlugin = fp(returnPaths, { name: 'return-paths' });
