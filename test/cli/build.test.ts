import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { appProcess } from '../support/app-process.ts';

/** `npm run build` makes JavaScript that runs without tsx: the command line, the server, its pages and assets. */
const exec = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'simdesk-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.skipIf(Boolean(process.env.DATABASE_URL))(
  'the build runs as plain node: --version, and a server that answers its pages and scripts',
  async () => {
    await exec('npm', ['run', 'build'], { cwd: root });
    const main = join(root, 'dist/src/cli/main.js');
    const { stdout } = await exec(process.execPath, [main, '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const app = appProcess(
      { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, DEMO: 'false', LOG_LEVEL: 'error' },
      main,
    );
    await app.start(503);
    try {
      const page = await fetch(`${app.base}/`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
      expect(await page.text()).toContain('simdesk is not set up yet');
      expect((await fetch(`${app.base}/assets/js/live-status.js`)).status).toBe(200);
      expect((await fetch(`${app.base}/assets/site.css`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  },
);
