import { DOCUMENT_TYPES } from '../../domain/replacement.ts';
import type { Translate } from '../../i18n/translate.ts';
import type { FieldErrors } from '../shared/form.tsx';

/** The type of the document a person shows at the counter or the door, as a compact select. */
export function DocumentTypeSelect({ t, value, errors }: { t: Translate; value: string; errors: FieldErrors }) {
  return (
    <div class={errors.docType ? 'field field-error' : 'field'}>
      <label for="docType">{t('wizard.identity.docType')}</label>
      <select id="docType" name="docType">
        {DOCUMENT_TYPES.map((d) => (
          <option key={d} value={d} selected={d === value}>
            {t(`document.${d}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
