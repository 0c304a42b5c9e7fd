import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { DocumentStorage } from './document-storage.ts';

const KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

/** Files in a local directory, written to a temporary name, flushed and renamed into place. */
export class LocalStorage implements DocumentStorage {
  constructor(private readonly root: string) {}

  async put(key: string, content: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(content);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Also removes temporary files of writes that never finished (a process killed mid-write). */
  async *keysWrittenBefore(before: Date): AsyncIterable<string> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const written = await stat(path).catch(() => null);
      if (!written || written.mtime >= before) continue;
      const key = relative(this.root, path).split(sep).join('/');
      if (KEY.test(key)) yield key;
      else if (key.endsWith('.tmp')) await rm(path, { force: true });
    }
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`bad storage key: ${key}`);
    return join(this.root, key);
  }
}
