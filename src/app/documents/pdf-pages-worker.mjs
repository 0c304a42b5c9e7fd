// Worker threads start without the TypeScript loader the main thread registered: a build runs the
// compiled module beside this file, the sources register the loader first.
import { existsSync } from 'node:fs';

const compiled = new URL('./pdf-pages.js', import.meta.url);
if (!existsSync(compiled)) (await import('tsx/esm/api')).register();
const { renderPdfPages } = await import(existsSync(compiled) ? './pdf-pages.js' : './pdf-pages.ts');

export default renderPdfPages;
