import type { Operator } from '../../app/operators/operator-profile.ts';
import type { Locale, Translate } from '../../i18n/translate.ts';

/** What every page needs from the request to render its layout. */
export type PageContext = {
  t: Translate;
  locale: Locale;
  /** Null only when the operator could not be loaded (an error page while the database is down). */
  operator: Operator | null;
  /** Path and query of this page, for the language switch to come back to. */
  path: string;
  demo: boolean;
  signedIn: boolean;
  assets: { css: string; liveStatus: string; centerFinder: string; stockUpload: string };
};
