// Seed steps 12-13 and A.8: the helper looks away while the person makes up a user-ID, the mobile number
// and its SMS code, the choice of authenticator, and the end.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import type { Authenticator } from '../journey/journey-state.ts';
import { RadioGroup, SecretField, TextField } from '../ui/fields.tsx';
import { LookAwayPage } from '../ui/look-away-figure.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, stepField } from '../ui/step-error.tsx';
import { DevOutboxNotice, SmsCodeField } from './sms-code-field.tsx';
import { sentence } from './token-screens.tsx';

export function LookAwayScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <LookAwayPage
      title={t('lookAway.title')}
      body={t('lookAway.body')}
      next={t('lookAway.next')}
      onNext={() => dispatch({ type: 'go', screen: 'userId' })}
      part={3}
    />
  );
}

export function UserIdScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.run('user-id-chosen', { userId: value });
    // The user-ID leaves this screen only towards the server: it is not kept in the app's state.
    if (r) {
      setValue('');
      dispatch({ type: 'go', screen: 'phone' });
    }
  };
  return (
    <Page title={t('userId.title')} part={3}>
      <form onSubmit={submit} noValidate>
        <SecretField
          id="userId"
          label={t('userId.label')}
          hint={t('userId.hint')}
          value={value}
          {...stepField(step, setValue)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={48}
          showLabel={t('userId.show')}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function PhoneScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.run<{ to: string }>('phone-given', { phone: value });
    if (r) dispatch({ type: 'go', screen: 'sms', data: { smsTo: r.output.to } });
  };
  return (
    <Page title={t('phone.title')} part={3}>
      <form onSubmit={submit} noValidate>
        <TextField
          id="phone"
          type="tel"
          label={t('phone.label')}
          hint={t('phone.hint')}
          value={value}
          {...stepField(step, setValue)}
          autoComplete="tel"
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function SmsScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const step = useStep();
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.run('phone-verified', { code: value.replace(/\s/g, '') });
    if (r) dispatch({ type: 'go', screen: 'authenticator' });
  };
  return (
    <Page title={t('sms.title')} part={3}>
      <p>{t('sms.body', { to: state.smsTo ?? '' })}</p>
      <DevOutboxNotice />
      <form onSubmit={submit} noValidate>
        <SmsCodeField id="smsCode" label={t('sms.label')} value={value} {...stepField(step, setValue)} />
        <StepError error={step.inlineError} />
        {step.busy ? <Busy label={t('app.working')} /> : null}
        <Actions>
          <button type="submit" className="primary" disabled={step.busy}>
            {t('app.next')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => dispatch({ type: 'recover', to: 'phone' })}
          >
            {t('sms.resend')}
          </button>
        </Actions>
      </form>
    </Page>
  );
}

function useChoose() {
  const { dispatch } = useJourney();
  const step = useStep();
  const choose = async (authenticator: Authenticator) => {
    const r = await step.run('authenticator-chosen', { authenticator });
    if (r) dispatch({ type: 'go', screen: 'done', data: { authenticator } });
  };
  return { step, choose };
}

export function AuthenticatorScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { step, choose } = useChoose();
  const [value, setValue] = useState<'app' | 'device' | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value) return setMissing(true);
    if (value === 'device') dispatch({ type: 'go', screen: 'device' });
    else await choose('app');
  };
  return (
    <Page title={t('authenticator.title')} part={3}>
      <form onSubmit={submit} noValidate>
        <RadioGroup
          name="authenticator"
          legend={t('authenticator.legend')}
          value={value}
          onChange={(v) => {
            setValue(v);
            setMissing(false);
          }}
          error={missing ? t('authenticator.required') : undefined}
          options={[
            { value: 'app', label: t('authenticator.app'), hint: t('authenticator.appHint') },
            { value: 'device', label: t('authenticator.device'), hint: t('authenticator.deviceHint') },
          ]}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function DeviceScreen() {
  const { t } = useTranslation();
  const { step, choose } = useChoose();
  const devices = ['code-display', 'code-reader', 'chip'] as const;
  return (
    <Page title={t('device.title')} part={3}>
      <ul className="menu-list">
        {devices.map((d) => (
          <li key={d}>
            <button type="button" className="menu-item" disabled={step.busy} onClick={() => choose(d)}>
              <span className="menu-label">{t(`device.${d}`)}</span>
            </button>
          </li>
        ))}
      </ul>
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
    </Page>
  );
}

export function DoneScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const device =
    state.authenticator && state.authenticator !== 'app' ? t(`device.${state.authenticator}`) : '';
  return (
    <Page title={t('done.title')}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <p>
        {state.authenticator === 'app' ? t('done.app') : t('done.device', { device: device.toLowerCase() })}
      </p>
      <Actions>
        {state.authenticator === 'app' ? (
          // Journey B follows at once: this phone shows the QR code the new phone scans.
          <button
            type="button"
            className="primary"
            onClick={() => dispatch({ type: 'go', screen: 'transferShow' })}
          >
            {t('transfer.done.activateApp')}
          </button>
        ) : null}
        {state.authenticator === 'chip' ? (
          // The chip is registered at once with the enrollment session (chip-key-screens.tsx).
          <button
            type="button"
            className="primary"
            onClick={() => dispatch({ type: 'go', screen: 'chipKeyLookAway' })}
          >
            {sentence(t('done.setUp', { device: device.toLowerCase() }))}
          </button>
        ) : null}
        {state.authenticator === 'code-display' || state.authenticator === 'code-reader' ? (
          // Journey C follows at once: the enrollment session lets this phone set up the device.
          <button
            type="button"
            className="primary"
            onClick={() => dispatch({ type: 'go', screen: 'haveDevice' })}
          >
            {sentence(t('done.setUp', { device: device.toLowerCase() }))}
          </button>
        ) : null}
        <button
          type="button"
          className={
            state.authenticator === 'code-display' ||
            state.authenticator === 'code-reader' ||
            state.authenticator === 'chip' ||
            state.authenticator === 'app'
              ? 'secondary'
              : 'primary'
          }
          onClick={() => dispatch({ type: 'restart' })}
        >
          {t('done.finish')}
        </button>
      </Actions>
    </Page>
  );
}
