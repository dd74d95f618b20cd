// One custom field's control, by its type (text, number, date, a list of options), with its form in words as
// help and a refusal beside it: the requester's new-request form and the agents' details form both use it.
import type { ConsoleField } from '#shared/console/console-config.ts';
import { describedBy } from './components.tsx';
import { lang, t } from './i18n.ts';
import { fieldHelp, fieldName } from './ticket-fields.ts';

export const CustomFieldInput = ({
  id,
  field,
  value,
  required,
  markOptional = false,
  changed = false,
  error,
  onChange,
}: {
  id: string;
  field: ConsoleField;
  value: string;
  required: boolean;
  /** Say "(optional)" on the fields one may leave empty (the requester's form). */
  markOptional?: boolean;
  /** Changed here and not saved yet (the agents' form highlights it, as after a stale save). */
  changed?: boolean;
  error: string | undefined;
  onChange: (value: string) => void;
}) => {
  const help = fieldHelp(field);
  const common = {
    id,
    value,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, help, error),
    'aria-required': required ? ('true' as const) : undefined,
  };
  const note = required ? ` (${t('custom.required')})` : markOptional ? ` (${t('custom.optional')})` : '';
  return (
    <div class={`field${error ? ' field-invalid' : ''}${changed ? ' field-changed' : ''}`}>
      <label for={id}>
        {fieldName(field)}
        {note}
      </label>
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {field.type === 'list' ? (
        <select {...common} onChange={(event) => onChange(event.currentTarget.value)}>
          <option value="">{t('custom.empty')}</option>
          {(field.options ?? []).map((option) => (
            <option key={option.id} value={option.id}>
              {option.name[lang.get()]}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={(field.type === 'date' ? 'date' : 'text') as 'text'}
          inputMode={field.type === 'number' ? 'decimal' : undefined}
          maxLength={field.type === 'text' ? field.maxLength : undefined}
          autoComplete="off"
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
};
