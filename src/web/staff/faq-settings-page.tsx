import type { FaqEntry } from '../../app/operators/operator-profile.ts';
import { CsrfField } from '../shared/form.tsx';
import { Input, TextArea } from './settings-controls.tsx';
import { type Page, SettingsLayout, type Values } from './settings-pages.tsx';

const FAQ_LANGUAGES = [
  ['Ru', 'ru'],
  ['En', 'en'],
  ['Zh', 'zh'],
] as const;

/** The operator's own FAQ entries: each shown in the visitor's language, so each is written in all three. */
export function FaqSettingsPage(page: Page & { entries: FaqEntry[]; values: Values }) {
  const { ctx, staff, errors, values, entries } = page;
  const { t, locale } = ctx;
  return (
    <SettingsLayout {...page} title={t('admin.faq.title')}>
      <p>{t('admin.faq.lead')}</p>
      <ul class="lines">
        {entries.map((e) => (
          <li key={e.id} class="line-card">
            <h2 class="card-title">{e.question[locale]}</h2>
            <p>{e.answer[locale]}</p>
            <form method="post" action={`/staff/settings/faq/${e.id}/delete`}>
              <CsrfField token={staff.csrfToken} />
              <button type="submit" class="button secondary">
                {t('admin.remove')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>{t('admin.faq.add')}</h2>
      <form method="post" action="/staff/settings/faq" novalidate>
        <CsrfField token={staff.csrfToken} />
        {FAQ_LANGUAGES.map(([suffix, lang]) => (
          <fieldset key={lang} class="field" lang={lang === 'zh' ? 'zh-Hans' : lang}>
            <legend>{t(`admin.faq.in.${lang}`)}</legend>
            <Input
              ctx={ctx}
              name={`question${suffix}`}
              label={t('admin.faq.question')}
              errors={errors}
              value={values[`question${suffix}`] ?? ''}
            />
            <TextArea
              ctx={ctx}
              name={`answer${suffix}`}
              label={t('admin.faq.answer')}
              errors={errors}
              value={values[`answer${suffix}`] ?? ''}
            />
          </fieldset>
        ))}
        <button type="submit" class="button">
          {t('admin.faq.add')}
        </button>
      </form>
    </SettingsLayout>
  );
}
