import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Strict security headers on every answer, from helmet. Its middleware is built once (building
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
    (request.protocol === 'https' ? overHttps : overHttp)(request.raw, reply.raw, (error?: unknown) =>
      done(error as Error | undefined),
    );
  });
}

export const securityHeadersPlugin = fp(securityHeaders, { name: 'security-headers' });
