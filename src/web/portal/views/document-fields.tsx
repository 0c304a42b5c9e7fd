import { PDF_LIMITS } from '../../../app/documents/document-content.ts';
import { DOCUMENT_TYPES } from '../../../domain/replacement.ts';
import type { Translate } from '../../../i18n/translate.ts';
import { Field, type FieldErrors, Radios } from '../../shared/form.tsx';

type DocumentFieldsProps = {
  t: Translate;
  errors: FieldErrors;
  docType: string;
  docNumber: string;
  maxMegabytes: number;
  /** A scan is already on file: choosing a new one is optional. */
  kept?: boolean;
};

/** Document type, number and the scan of its photo page; the size limit is stated before upload. */
export function DocumentFields({ t, errors, docType, docNumber, maxMegabytes, kept = false }: DocumentFieldsProps) {
  const fileError = errors.document;
  return (
    <>
      <Radios
        t={t}
        name="docType"
        legend={t('wizard.identity.docType')}
        value={docType}
        errors={errors}
        options={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`document.${d}`) }))}
      />
      <Field
        t={t}
        name="docNumber"
        label={t('wizard.identity.docNumber')}
        hint={t('wizard.identity.docNumber.hint')}
        value={docNumber}
        errors={errors}
      />
      <div class={fileError ? 'field field-error' : 'field'}>
        <label for="document">{t('wizard.identity.file')}</label>
        <p class="hint" id="document-hint">
          {t('wizard.identity.file.hint', { mb: maxMegabytes, pages: PDF_LIMITS.maxPages })}
          {kept && ` ${t('wizard.identity.file.kept')}`}
        </p>
        {fileError && (
          <p class="error" id="document-error">
            {t(fileError, { pages: PDF_LIMITS.maxPages })}
          </p>
        )}
        <input
          id="document"
          name="document"
          type="file"
          accept="image/jpeg,image/png,application/pdf"
          aria-describedby={fileError ? 'document-hint document-error' : 'document-hint'}
          aria-invalid={fileError ? 'true' : undefined}
        />
      </div>
    </>
  );
}
