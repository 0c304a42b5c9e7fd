import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Assets } from './render.ts';

const publicDir = fileURLToPath(new URL('./public', import.meta.url));

/**
 * Serves `src/web/public` under /assets/ with a year-long immutable cache; pages link each file
 * with a content hash in the query, so a new release is fetched at once.
 */
export async function registerAssets(app: FastifyInstance): Promise<Assets> {
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
  });
  const version = (file: string) =>
    createHash('sha256')
      .update(readFileSync(`${publicDir}/${file}`))
      .digest('hex')
      .slice(0, 12);
  return { css: `/assets/site.css?v=${version('site.css')}` };
}
