// Seed steps 5-10: document type, terms and privacy policy, the end of part 1, issuing country, and the
// person's Danish CPR number or P-code.
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TermsTexts } from '../api/enrollment-api.ts';
import { countryOptions, TEST_COUNTRY } from '../journey/countries.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import type { DocumentType } from '../journey/journey-state.ts';
import { RadioGroup, TextField } from '../ui/fields.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, stepField } from '../ui/step-error.tsx';

function NextButton(props: { busy: boolean; label?: string }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className="primary" disabled={props.busy}>
      {props.label ?? t('app.next')}
    </button>
  );
}

export function DocTypeScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const step = useStep();
  const [value, setValue] = useState<DocumentType | undefined>(state.documentType);
  const [missing, setMissing] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value) return setMissing(true);
    const r = await step.run('document-type-chosen', { documentType: value });
    if (r) dispatch({ type: 'go', screen: 'terms', data: { documentType: value } });
  };
  return (
    <Page title={t('docType.title')} part={1}>
      <form onSubmit={submit} noValidate>
        <RadioGroup
          name="documentType"
          legend={t('docType.legend')}
          value={value}
          onChange={(v) => {
            setValue(v);
            setMissing(false);
          }}
          error={missing ? t('docType.required') : undefined}
          options={[
            { value: 'passport', label: t('docType.passport') },
            { value: 'id-card', label: t('docType.idCard') },
          ]}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

function useTerms(): TermsTexts | undefined {
  const { api, locale } = useJourney();
  const step = useStep();
  const [texts, setTexts] = useState<TermsTexts | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetch again only when the language changes
  useEffect(() => {
    let live = true;
    void step
      .guard(() => api.terms(locale))
      .then((r) => {
        if (live && r) setTexts(r);
      });
    return () => {
      live = false;
    };
  }, [api, locale]);
  return texts;
}

export function TermsScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const texts = useTerms();
  return (
    <Page title={t('terms.title')} part={1}>
      {texts ? (
        <>
          <div className="legal" data-testid="terms-text">
            <p>{texts.terms}</p>
          </div>
          <p className="hint">{t('terms.version', { version: texts.termsVersion })}</p>
        </>
      ) : (
        <Busy label={t('app.working')} />
      )}
      <p>{t('terms.hint')}</p>
      <Actions>
        <button
          type="button"
          className="primary"
          disabled={!texts}
          onClick={() => texts && dispatch({ type: 'go', screen: 'privacy', data: { terms: texts } })}
        >
          {t('app.next')}
        </button>
      </Actions>
    </Page>
  );
}

export function PrivacyScreen() {
  const { t } = useTranslation();
  const { state, dispatch, locale } = useJourney();
  const step = useStep();
  const texts = useTerms();
  const accept = async () => {
    // The versions accepted are the ones shown on the terms screen.
    const shown = state.terms ?? texts;
    if (!shown) return;
    const r = await step.run('terms-accepted', {
      termsVersion: shown.termsVersion,
      privacyVersion: shown.privacyVersion,
      locale,
    });
    if (r) dispatch({ type: 'go', screen: 'stepDone' });
  };
  return (
    <Page title={t('privacy.title')} part={1}>
      {texts ? (
        <>
          <div className="legal">
            <p>{texts.privacy}</p>
          </div>
          <p className="hint">{t('terms.version', { version: texts.privacyVersion })}</p>
        </>
      ) : (
        <Busy label={t('app.working')} />
      )}
      <p>{t('privacy.hint')}</p>
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        <button type="button" className="primary" disabled={!texts || step.busy} onClick={accept}>
          {t('app.next')}
        </button>
      </Actions>
    </Page>
  );
}

export function StepDoneScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('stepDone.title')} part={1}>
      <p>{t('stepDone.body')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'country' })}>
          {t('app.next')}
        </button>
      </Actions>
    </Page>
  );
}

export function CountryScreen() {
  const { t } = useTranslation();
  const { state, dispatch, locale, config } = useJourney();
  const step = useStep();
  const [value, setValue] = useState(state.country ?? '');
  const [missing, setMissing] = useState(false);
  const options = useMemo(() => countryOptions(locale), [locale]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value) return setMissing(true);
    const r = await step.run('country-chosen', { country: value });
    if (r) dispatch({ type: 'go', screen: 'reference', data: { country: value } });
  };
  return (
    <Page title={t('country.title')} part={2}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="country">{t('country.label')}</label>
          {missing ? (
            <p id="country-error" className="field-error">
              {t('country.required')}
            </p>
          ) : null}
          <select
            id="country"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setMissing(false);
            }}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'country-error' : undefined}
          >
            <option value="">{t('country.choose')}</option>
            {config.development ? <option value={TEST_COUNTRY}>{t('country.test')}</option> : null}
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function ReferenceScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const [value, setValue] = useState<'cpr' | 'pcode' | undefined>(state.referenceKind);
  const [missing, setMissing] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value) return setMissing(true);
    dispatch({ type: 'go', screen: value, data: { referenceKind: value } });
  };
  return (
    <Page title={t('reference.title')} part={2}>
      <form onSubmit={submit} noValidate>
        <RadioGroup
          name="reference"
          legend={t('reference.legend')}
          value={value}
          onChange={(v) => {
            setValue(v);
            setMissing(false);
          }}
          error={missing ? t('reference.required') : undefined}
          options={[
            { value: 'cpr', label: t('reference.cpr') },
            { value: 'pcode', label: t('reference.pcode'), hint: t('reference.pcodeHint') },
          ]}
        />
        <Actions>
          <NextButton busy={false} />
        </Actions>
      </form>
    </Page>
  );
}

export function ReferenceEntryScreen(props: { kind: 'cpr' | 'pcode' }) {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.run(
      'person-referenced',
      props.kind === 'cpr' ? { kind: 'cpr', cpr: value } : { kind: 'pcode', pcode: value },
    );
    if (r) dispatch({ type: 'go', screen: 'verify' });
  };
  return (
    <Page title={t(`${props.kind}.title`)} part={2}>
      <form onSubmit={submit} noValidate>
        <TextField
          id={props.kind}
          label={t(`${props.kind}.label`)}
          hint={t(`${props.kind}.hint`)}
          value={value}
          {...stepField(step, setValue)}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function VerifyScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('verify.title')} part={2}>
      <p>{t('verify.body')}</p>
      <ol className="numbered">
        <li>{t('verify.mrz')}</li>
        <li>{t('verify.chip')}</li>
        <li>{t('verify.face')}</li>
      </ol>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'mrzScan' })}>
          {t('verify.start')}
        </button>
      </Actions>
    </Page>
  );
}
