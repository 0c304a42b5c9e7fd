// Worker threads start without the TypeScript loader the main thread registered: register it here.
import { register } from 'tsx/esm/api';

register();
const { renderPdfPages } = await import('./pdf-pages.ts');

export default renderPdfPages;
