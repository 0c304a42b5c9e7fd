import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_STAFF_PASSWORD } from '../../src/app/seed/seed.ts';
import type { Database } from '../../src/db/client.ts';
import { STAFF_ROLES, type StaffRole } from '../../src/db/schema/staff.ts';
import { buildApp } from '../../src/web/app.ts';
import { type Route, routesUnder } from '../support/routes.ts';
import { seededDatabase } from '../support/seeded.ts';
import { testConfig } from '../support/test-config.ts';
import { signedInClient, staffClient, WebClient } from '../support/web-client.ts';

/**
 * Who may open each staff route. Every staff route of the app must be listed here (a new one
 * fails the test until it is), and each is tried by everybody who must be refused.
 */
const ACCESS: [RegExp, readonly StaffRole[] | 'any'][] = [
  [/^\/staff\/home$/, 'any'],
  [/^\/staff\/logout\/everywhere$/, 'any'],
  [/^\/staff\/password$/, 'any'],
  [/^\/staff\/review/, ['reviewer', 'admin']],
  [/^\/staff\/frozen/, ['reviewer', 'admin']],
  [/^\/staff\/logistics/, ['logistics', 'admin']],
  [/^\/staff\/inventory/, ['logistics', 'admin']],
  [/^\/staff\/pickup/, ['store_agent', 'admin']],
  [/^\/staff\/counter/, ['store_agent', 'admin']],
  [/^\/staff\/courier/, ['courier', 'admin']],
  [/^\/staff\/audit/, ['admin']],
  [/^\/staff\/network/, ['admin']],
  [/^\/staff\/partners/, ['admin']],
  [/^\/staff\/refunds/, ['admin']],
  [/^\/staff\/webhooks/, ['admin']],
  [/^\/staff\/api-clients/, ['admin']],
  [/^\/staff\/settings/, ['admin']],
  [/^\/staff\/reports/, ['admin', 'reviewer']],
  [/^\/staff\/team/, ['admin']],
  [/^\/staff\/platform/, ['platform_admin']],
];
/** The sign-in itself and a new member's one-time link, open to anyone (the link is its own proof). */
const SIGN_IN = ['/staff', '/staff/totp', '/staff/logout'];
const ENROLMENT = /^\/staff\/enrol\/[^/]+$/;

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  database = await seededDatabase();
  app = await buildApp({ config: testConfig, database, logger: false });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Every staff route of the app's route table but the sign-in. */
const staffRoutes = () =>
  routesUnder(app, '/staff').filter(
    (r) => !SIGN_IN.includes(r.path) && !ENROLMENT.test(r.path) && (r.method === 'GET' || r.method === 'POST'),
  );

const allowed = (path: string) => {
  const entry = ACCESS.find(([pattern]) => pattern.test(path));
  if (!entry) throw new Error(`${path} is not in the access table of this test`);
  return entry[1];
};

const send = (client: WebClient, route: Route) =>
  route.method === 'GET' ? client.get(route.path) : client.post(route.path);

const refusedAsStranger = (status: number, location: unknown, route: Route) =>
  route.method === 'GET' ? status === 303 && location === '/staff' : status === 401 || status === 403;

test('every staff route refuses a subscriber, a half-signed-in staff member, the other operator’s staff and the wrong roles', async () => {
  const routes = staffRoutes();
  expect(routes.length).toBeGreaterThan(25);
  const subscriber = await signedInClient(app, '+79161110001');
  const halfway = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  await halfway.submit('/staff', '/staff', { email: 'admin@volna.example', password: DEMO_STAFF_PASSWORD });
  const sever = await staffClient(app, database, 'admin@sever.example', 'sever.localhost');
  const borrowed = new WebClient(app, { host: 'localhost', 'accept-language': 'en' });
  borrowed.cookies.set('staff_sid', sever.cookies.get('staff_sid') ?? '');
  const anonymous = new WebClient(app, { host: 'localhost' });

  const members = new Map<StaffRole, WebClient>();
  for (const role of STAFF_ROLES)
    members.set(role, await staffClient(app, database, `${role.replace('_', '-')}@volna.example`));

  // Signing out everywhere ends the members' sessions, so it is tried last.
  const signsOut = (route: Route) => route.path === '/staff/logout/everywhere';
  for (const route of [...routes.filter((r) => !signsOut(r)), ...routes.filter(signsOut)]) {
    const who = `${route.method} ${route.path}`;
    for (const [name, client] of Object.entries({ anonymous, subscriber, halfway, borrowed })) {
      const res = await send(client, route);
      expect(refusedAsStranger(res.statusCode, res.headers.location, route), `${who} as ${name}`).toBe(true);
    }
    const roles = allowed(route.path);
    for (const [role, client] of members) {
      await client.get('/staff/home');
      const res = await send(client, route);
      const mayOpen = roles === 'any' || roles.includes(role);
      if (mayOpen) {
        expect(res.statusCode, `${who} as ${role}`).not.toBe(403);
        expect(res.statusCode, `${who} as ${role}`).not.toBe(401);
        if (!signsOut(route)) expect(res.headers.location, `${who} as ${role}`).not.toBe('/staff');
      } else expect(res.statusCode, `${who} as ${role}`).toBe(403);
    }
  }
});
