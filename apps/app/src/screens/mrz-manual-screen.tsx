// Seed step 11, the MRZ typed by hand: document number, date of birth and date of expiry (the fallback
// when there is no camera or the code cannot be read).
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MrzKeys } from '../api/enrollment-api.ts';
import { toYymmdd } from '../journey/dates.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { Actions, Busy, InlineError, Page } from '../ui/page.tsx';
import { StepError } from '../ui/step-error.tsx';

export function MrzManualScreen(props: { notice?: string }) {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const [documentNumber, setDocumentNumber] = useState('');
  const [birth, setBirth] = useState('');
  const [expiry, setExpiry] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const keys: MrzKeys = {
      documentNumber: documentNumber.trim().toUpperCase(),
      dateOfBirth: toYymmdd(birth),
      dateOfExpiry: toYymmdd(expiry),
    };
    if (!keys.documentNumber || !keys.dateOfBirth || !keys.dateOfExpiry) return setMissing(true);
    const r = await step.run<{ mrz: MrzKeys; aaChallenge: string }>('mrz-given', { kind: 'typed', ...keys });
    if (r)
      dispatch({
        type: 'go',
        screen: 'chip',
        data: { mrz: r.output.mrz, aaChallenge: r.output.aaChallenge },
      });
  };
  const onEdit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setMissing(false);
    step.clearError();
  };
  return (
    <Page title={t('mrzManual.title')} part={2}>
      {props.notice ? <p className="notice">{props.notice}</p> : null}
      <form onSubmit={submit} noValidate>
        <TextField
          id="documentNumber"
          label={t('mrzManual.documentNumber')}
          hint={t('mrzManual.documentNumberHint')}
          value={documentNumber}
          onChange={onEdit(setDocumentNumber)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          invalid={missing && !documentNumber}
        />
        <TextField
          id="dateOfBirth"
          type="date"
          label={t('mrzManual.dateOfBirth')}
          value={birth}
          onChange={onEdit(setBirth)}
          invalid={missing && !birth}
        />
        <TextField
          id="dateOfExpiry"
          type="date"
          label={t('mrzManual.dateOfExpiry')}
          value={expiry}
          onChange={onEdit(setExpiry)}
          invalid={missing && !expiry}
        />
        {missing ? <InlineError id="mrz-missing">{t('mrzManual.required')}</InlineError> : null}
        <StepError error={step.inlineError} />
        {step.busy ? <Busy label={t('app.working')} /> : null}
        <Actions>
          <button type="submit" className="primary" disabled={step.busy}>
            {t('app.next')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => dispatch({ type: 'go', screen: 'mrzScan' })}
          >
            {t('mrzManual.scanInstead')}
          </button>
        </Actions>
      </form>
    </Page>
  );
}
