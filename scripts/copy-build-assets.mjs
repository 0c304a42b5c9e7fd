// `npm run build`: tsc compiles src/ into dist/src/; what the code reads beside itself at run time comes along.
import { cpSync } from 'node:fs';

for (const path of [
  'src/db/migrations',
  'src/web/public',
  'src/web/client',
  'src/web/shared/fonts',
  'src/app/documents/pdf-pages-worker.mjs',
])
  cpSync(path, `dist/${path}`, { recursive: true });
