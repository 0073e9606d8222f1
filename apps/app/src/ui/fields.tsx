// Form fields with a visible label, an optional hint and error, each tied to the input for screen
// readers (aria-describedby), and radio groups in a fieldset with a legend (WCAG 1.3.1, 3.3.2).
import { type InputHTMLAttributes, type ReactNode, useState } from 'react';

type TextFieldProps = {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  /** Marks the input invalid when the error is shown elsewhere (e.g. a step's error below the form). */
  invalid?: boolean;
  describedBy?: string | undefined;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>;

export function TextField(props: TextFieldProps) {
  const { id, label, hint, error, invalid, describedBy, value, onChange, ...rest } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', describedBy ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <input
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error || invalid ? true : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
    </div>
  );
}

/** "Show what I type" for a field typed hidden (user-ID, password): the person decides, once nobody looks. */
export function ShowSecret(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (shown: boolean) => void;
}) {
  return (
    <div className="checkbox">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

/** A text field typed hidden, with its own "show" checkbox (`<id>-show`). */
export function SecretField(props: Omit<TextFieldProps, 'type'> & { showLabel: string }) {
  const { showLabel, ...field } = props;
  const [shown, setShown] = useState(false);
  return (
    <>
      <TextField {...field} type={shown ? 'text' : 'password'} />
      <ShowSecret id={`${props.id}-show`} label={showLabel} checked={shown} onChange={setShown} />
    </>
  );
}

export interface RadioOption<V extends string> {
  readonly value: V;
  readonly label: string;
  readonly hint?: string;
}

export function RadioGroup<V extends string>(props: {
  name: string;
  legend: string;
  options: readonly RadioOption<V>[];
  value: V | undefined;
  onChange: (value: V) => void;
  error?: string | undefined;
  children?: ReactNode;
}) {
  return (
    <fieldset
      className="radio-group"
      aria-describedby={props.error ? `${props.name}-error` : undefined}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{props.legend}</legend>
      {props.error ? (
        <p id={`${props.name}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
      {props.options.map((o) => (
        <div className="radio" key={o.value}>
          <input
            type="radio"
            id={`${props.name}-${o.value}`}
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
            aria-describedby={o.hint ? `${props.name}-${o.value}-hint` : undefined}
          />
          <label htmlFor={`${props.name}-${o.value}`}>
            {o.label}
            {o.hint ? (
              <span id={`${props.name}-${o.value}-hint`} className="hint">
                {o.hint}
              </span>
            ) : null}
          </label>
        </div>
      ))}
      {props.children}
    </fieldset>
  );
}
