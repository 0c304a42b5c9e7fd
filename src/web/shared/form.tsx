import type { MessageKey, Translate } from '../../i18n/translate.ts';

/** Field name → message key of what is wrong with it. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** GOV.UK error summary: focused first, each problem a link to its field. */
export function ErrorSummary({ t, errors }: { t: Translate; errors: FieldErrors }) {
  const entries = Object.entries(errors).filter((e): e is [string, MessageKey] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#${field}`}>{t(key)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  t: Translate;
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'tel' | 'password' | 'email';
  value?: string;
  autocomplete?: string;
  inputmode?: 'tel' | 'numeric' | 'email' | 'text';
  errors: FieldErrors;
};

const definedOnly = (attributes: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));

/** A labelled input with its hint and error wired to it for screen readers. */
export function Field({ t, name, label, hint, type = 'text', value, autocomplete, inputmode, errors }: FieldProps) {
  const error = errors[name];
  const described = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ');
  const optional = {
    value,
    autocomplete,
    inputMode: inputmode,
    'aria-describedby': described || undefined,
    'aria-invalid': error ? 'true' : undefined,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${name}-error`}>
          {t(error)}
        </p>
      )}
      {/* Preact types each input type's ARIA roles separately, so a union-typed `type` needs one named member. */}
      <input id={name} name={name} type={type as 'text'} {...definedOnly(optional)} />
    </div>
  );
}

/** The account password, typed to sign in or again before a sensitive step. */
export const PasswordField = ({ t, errors }: { t: Translate; errors: FieldErrors }) => (
  <Field
    t={t}
    name="password"
    label={t('signin.password')}
    type="password"
    autocomplete="current-password"
    errors={errors}
  />
);

/** A refusal of the whole form rather than of one field, announced at the top of the page. */
export function ProblemSummary({ t, problem }: { t: Translate; problem: MessageKey | null }) {
  return problem ? (
    <div class="error-summary" role="alert">
      <p>{t(problem)}</p>
    </div>
  ) : null;
}

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

type RadiosProps = {
  t: Translate;
  name: string;
  legend: string;
  options: { value: string; label: string; hint?: string }[];
  value: string;
  errors: FieldErrors;
  /** On a one-question page the legend is the page's heading. */
  heading?: boolean;
};

/** A group of radio buttons in a fieldset; the error links to the first option. */
export function Radios({ t, name, legend, options, value, errors, heading = false }: RadiosProps) {
  const error = errors[name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{heading ? <h1>{legend}</h1> : legend}</legend>
      {error && (
        <p class="error" id={`${name}-error`}>
          {t(error)}
        </p>
      )}
      {options.map((o, i) => {
        const id = i === 0 ? name : `${name}-${o.value}`;
        return (
          <div class="radio" key={o.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={o.value}
              checked={value === o.value}
              aria-describedby={o.hint ? `${id}-hint` : undefined}
            />
            <label for={id}>{o.label}</label>
            {o.hint && (
              <p class="hint" id={`${id}-hint`}>
                {o.hint}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
