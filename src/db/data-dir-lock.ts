import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class DataDirInUse extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another simdesk process (pid ${pid}). ` +
        'PGlite serves one process: stop the other one, or use PostgreSQL (DATABASE_URL) to run several.',
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the lock of a PGlite data directory: a file next to it holding this process's id, made
 * exclusively. A second process finds it and refuses to start, since two processes on one data
 * directory would silently diverge; a lock left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isSafeInteger(holder) && holder !== process.pid && alive(holder))
        throw new DataDirInUse(dataDir, holder);
      rmSync(file, { force: true });
    }
  }
}
