// The field for a code sent by SMS (journey A's phone check, journey B's temporary PIN), with a link to the
// development outbox where no SMS is really sent.
import { useTranslation } from 'react-i18next';
import { useJourney } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';

export function DevOutboxNotice() {
  const { t } = useTranslation();
  const { config } = useJourney();
  if (!config.development) return null;
  return (
    <p className="notice">
      <a href="/dev/outbox" target="_blank" rel="noreferrer">
        {t('sms.devOutbox')}
      </a>
    </p>
  );
}

export function SmsCodeField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Whether the step's error concerns this field, and its element (`stepField` gives both). */
  invalid: boolean;
  describedBy: string | undefined;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={12}
      invalid={props.invalid}
      describedBy={props.describedBy}
    />
  );
}
