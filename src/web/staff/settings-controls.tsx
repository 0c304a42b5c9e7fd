import type { MessageKey } from '../../i18n/translate.ts';
import type { FieldErrors } from '../shared/form.tsx';
import type { PageContext } from '../shared/page-context.ts';

/** Form controls of the administration pages, each labelled and with its error tied to it. */
type Control = { ctx: PageContext; name: string; label: string; hint?: string; errors: FieldErrors };

function Problem({ ctx, name, errors, id = name }: Pick<Control, 'ctx' | 'name' | 'errors'> & { id?: string }) {
  const error = errors[name];
  return error ? (
    <p class="error" id={`${id}-error`}>
      {ctx.t(error as MessageKey)}
    </p>
  ) : null;
}

const described = (id: string, hint: string | undefined, error: unknown) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

function Hint({ name, hint }: { name: string; hint?: string }) {
  return hint ? (
    <p class="hint" id={`${name}-hint`}>
      {hint}
    </p>
  ) : null;
}

export function Choice({
  ctx,
  name,
  label,
  hint,
  errors,
  value,
  options,
  id = name,
}: Control & { value: string; options: [string, string][]; id?: string }) {
  return (
    <div class={errors[name] ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <Hint name={id} hint={hint} />
      <Problem ctx={ctx} name={name} errors={errors} id={id} />
      <select id={id} name={name} aria-describedby={described(id, hint, errors[name])}>
        {options.map(([v, text]) => (
          <option key={v} value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Check({
  ctx,
  name,
  label,
  hint,
  errors,
  checked,
  id = name,
}: Control & { checked: boolean; id?: string }) {
  return (
    <div class="field">
      <div class="radio">
        <input
          type="checkbox"
          id={id}
          name={name}
          value="on"
          checked={checked}
          aria-describedby={described(id, hint, errors[name])}
        />
        <label for={id}>{label}</label>
      </div>
      <Hint name={id} hint={hint} />
      <Problem ctx={ctx} name={name} errors={errors} id={id} />
    </div>
  );
}

export function Input({
  ctx,
  name,
  label,
  hint,
  errors,
  value,
  numeric = false,
  id = name,
}: Control & {
  value: string;
  numeric?: boolean /** When one page has several forms with the same fields. */;
  id?: string;
}) {
  return (
    <div class={errors[name] ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <Hint name={id} hint={hint} />
      <Problem ctx={ctx} name={name} errors={errors} id={id} />
      <input
        id={id}
        name={name}
        type="text"
        value={value}
        inputMode={numeric ? 'numeric' : undefined}
        aria-describedby={described(id, hint, errors[name])}
        aria-invalid={errors[name] ? 'true' : undefined}
      />
    </div>
  );
}

export function TextArea({ ctx, name, label, hint, errors, value }: Control & { value: string }) {
  return (
    <div class={errors[name] ? 'field field-error' : 'field'}>
      <label for={name}>{label}</label>
      <Hint name={name} hint={hint} />
      <Problem ctx={ctx} name={name} errors={errors} />
      <textarea
        id={name}
        name={name}
        rows={4}
        aria-describedby={described(name, hint, errors[name])}
        aria-invalid={errors[name] ? 'true' : undefined}
      >
        {value}
      </textarea>
    </div>
  );
}
