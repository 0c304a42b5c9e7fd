import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });

/** Where a file reaches the database itself instead of through a use case of src/app. */
const queries = (text: string) =>
  [
    /from 'drizzle-orm(\/[^']*)?'/,
    /\b(db|tx|database)\.(select|insert|update|delete|execute|transaction|query)\b/,
    /\.from\((accounts|lines|sims|payments|replacementRequests|appointments|serviceCenters|faqEntries|staff\w*)\)/,
  ].filter((pattern) => pattern.test(text));

describe('layers', () => {
  it('the web layer parses, calls use cases and renders: no file of src/web queries the database', () => {
    const offenders = sources('src/web').filter((file) => queries(readFileSync(join(root, file), 'utf8')).length > 0);
    expect(offenders.map((file) => relative(root, join(root, file)))).toEqual([]);
  });

  it('the domain is pure: no file of src/domain imports the database, the network or the clock of a library', () => {
    const impure = sources('src/domain').filter((file) =>
      /from '(drizzle-orm|pg|@electric-sql\/pglite|node:(fs|net|http|https|child_process))'|from '\.\.\/(db|app|web|integrations)\//.test(
        readFileSync(join(root, file), 'utf8'),
      ),
    );
    expect(impure).toEqual([]);
  });
});
