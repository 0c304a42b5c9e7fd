import { existsSync, readFileSync } from 'node:fs';

/** simdesk's version from its package.json, found above this file from the sources and from a build alike. */
export function simdeskVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'simdesk' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
