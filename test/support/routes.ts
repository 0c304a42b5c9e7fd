import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export type Route = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every route of the app's route table under `prefix`, parameters filled with ids that exist nowhere. */
export function routesUnder(app: FastifyInstance, prefix: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const row of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = row.indexOf('── ');
    if (at < 0) continue;
    const [, segment = '', methods = ''] = row.slice(at + 3).match(/^(.*?)(?: \((.*)\))?$/) ?? [];
    stack.length = Math.floor(at / 4);
    stack.push(segment);
    const path = stack.join('').replace(/^\/+/, '/');
    if (!path.startsWith(prefix)) continue;
    for (const method of METHODS)
      if (methods.split(', ').includes(method))
        routes.push({ method, path: path.replace(/:[a-zA-Z]+/g, () => randomUUID()) });
  }
  return routes;
}
