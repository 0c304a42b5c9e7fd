import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import type { Assets } from './render.ts';

const publicDir = fileURLToPath(new URL('./public', import.meta.url));
const clientDir = fileURLToPath(new URL('./client', import.meta.url));
const hash = (content: string | Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 12);

/** Progressive enhancements, compiled from TypeScript at start-up; pages work without them. */
async function compileScripts(): Promise<Record<string, string>> {
  const result = await build({
    entryPoints: [`${clientDir}/live-status.ts`, `${clientDir}/center-finder.ts`, `${clientDir}/stock-upload.ts`],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2019',
    outdir: '/',
  });
  return Object.fromEntries(result.outputFiles.map((f) => [f.path.slice(1), f.text]));
}

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
  const scripts = await compileScripts();
  app.get<{ Params: { file: string } }>('/assets/js/:file', async (request, reply) => {
    const code = scripts[request.params.file];
    if (code === undefined) return reply.callNotFound();
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(code);
  });
  const url = (file: string) => `/assets/js/${file}?v=${hash(scripts[file] as string)}`;
  return {
    css: `/assets/site.css?v=${hash(readFileSync(`${publicDir}/site.css`))}`,
    liveStatus: url('live-status.js'),
    centerFinder: url('center-finder.js'),
    stockUpload: url('stock-upload.js'),
  };
}
