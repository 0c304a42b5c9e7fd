import type { ComponentChildren } from 'preact';
import { LOCALES, type Locale } from '../../i18n/translate.ts';
import type { PageContext } from './page-context.ts';
import { phoneText } from './phone-number.tsx';

export const LANGUAGE_NAMES: Record<Locale, string> = { ru: 'Русский', en: 'English', zh: '中文' };
const LANGUAGE_TAGS: Record<Locale, string> = { ru: 'ru', en: 'en', zh: 'zh-Hans' };

type LayoutProps = {
  ctx: PageContext;
  title: string;
  hasErrors?: boolean;
  /** Enhancement scripts of this page, loaded deferred. */
  scripts?: string[];
  /** The links of the main menu; the subscriber's (home, FAQ, account) unless a page gives its own. */
  nav?: ComponentChildren;
  children: ComponentChildren;
};

export function Layout({ ctx, title, hasErrors = false, scripts = [], nav, children }: LayoutProps) {
  const { t, locale, operator } = ctx;
  const site = t('site.name', { operator: operator?.name[locale] ?? 'simdesk' });
  return (
    <html lang={LANGUAGE_TAGS[locale]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${hasErrors ? `${t('form.errorSummary')}: ` : ''}${title} — ${site}`}</title>
        <link rel="stylesheet" href={ctx.assets.css} />
        {scripts.map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('layout.skip')}
        </a>
        <header class="header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              {site}
            </a>
            <nav aria-label={t('layout.language')} class="langs">
              <ul>
                {LOCALES.map((l) => (
                  <li key={l}>
                    {l === locale ? (
                      <span aria-current="true" lang={LANGUAGE_TAGS[l]}>
                        {LANGUAGE_NAMES[l]}
                      </span>
                    ) : (
                      <a
                        href={`/lang/${l}?next=${encodeURIComponent(ctx.path)}`}
                        lang={LANGUAGE_TAGS[l]}
                        hreflang={LANGUAGE_TAGS[l]}
                      >
                        {LANGUAGE_NAMES[l]}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
          </div>
          <nav aria-label={t('layout.nav')} class="wrap nav">
            {nav ?? (
              <>
                <a href="/">{t('layout.home')}</a>
                <a href="/centers">{t('layout.centers')}</a>
                <a href="/faq">{t('layout.faq')}</a>
                {ctx.signedIn ? (
                  <a href="/account">{t('layout.account')}</a>
                ) : (
                  <a href="/login">{t('layout.signIn')}</a>
                )}
              </>
            )}
          </nav>
        </header>
        {ctx.demo && <p class="demo wrap">{t('layout.demo')}</p>}
        <main id="main" class="wrap" tabindex={-1}>
          {children}
        </main>
        {operator && (
          <footer class="footer">
            <p class="wrap">
              {t('layout.support', { phone: phoneText(operator.supportPhone), email: operator.supportEmail })}
            </p>
          </footer>
        )}
      </body>
    </html>
  );
}
