import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Machine-facing APIs answer JSON to servers, never a page to frame, script or style: their
 * answers carry what still applies to them (OWASP REST Security: a CSP that allows nothing, no
 * sniffing, no caching of answers about subscribers, HSTS over HTTPS) instead of the twelve
 * browser headers, which were a fifth of the bytes a SIM Swap check sends and parses.
 */
const API_PREFIXES = ['/sim-swap/', '/sim-swap-subscriptions/', '/api/v1/', '/oauth/', '/webhooks/'];
const API_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Strict security headers on every page, from helmet. Its middleware is built once (building
 * it parses every directive, which @fastify/helmet repeats on each request), in two variants:
 * HSTS only on requests that arrived over HTTPS, directly or through a trusted proxy.
 */
async function securityHeaders(app: FastifyInstance, options: { formActionOrigins: readonly string[] }) {
  const withHsts = (strictTransportSecurity: HelmetOptions['strictTransportSecurity']): HelmetOptions => ({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...options.formActionOrigins],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity,
  });
  const overHttps = helmet(withHsts({ maxAge: 31_536_000, includeSubDomains: true }));
  const overHttp = helmet(withHsts(false));
  app.addHook('onRequest', (request, reply, done) => {
    if (API_PREFIXES.some((prefix) => request.url.startsWith(prefix))) {
      reply.headers(API_HEADERS);
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      return done();
    }
    (request.protocol === 'https' ? overHttps : overHttp)(request.raw, reply.raw, (error?: unknown) =>
      done(error as Error | undefined),
    );
  });
}

export const securityHeadersPlugin = fp(securityHeaders, { name: 'security-headers' });
