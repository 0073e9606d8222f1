// Journey C, "Yes, activate" (DESIGN §1 C, docs/code-display.md): do you have the device → look away →
// password twice → serial number → the one-time code the device shows or reads aloud → activated.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/api-error.ts';
import { modelOf } from '../api/token-api.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { ShowSecret, TextField } from '../ui/fields.tsx';
import { LookAwayPage } from '../ui/look-away-figure.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, stepField } from '../ui/step-error.tsx';

/** A title that starts with the device's name still starts with a capital letter. */
export function sentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The chosen device's model and its name in running text ("code display"). */
export function useDevice() {
  const { t } = useTranslation();
  const { state } = useJourney();
  const authenticator = state.authenticator === 'code-reader' ? 'code-reader' : 'code-display';
  return { model: modelOf(authenticator), device: t(`device.${authenticator}`).toLowerCase() };
}

/** The enrollment session (the completed journey A flow) and the activation flow, or a typed failure. */
function useIds() {
  const { state } = useJourney();
  return () => {
    if (!state.flowId) throw toApiError(new TypeError('no enrollment session'));
    return { session: state.flowId, activation: state.activationId ?? '' };
  };
}

export function HaveDeviceScreen() {
  const { t } = useTranslation();
  const { dispatch, tokens } = useJourney();
  const { model, device } = useDevice();
  const step = useStep();
  const ids = useIds();
  const activate = async () => {
    const flow = await step.guard(async () => {
      const { session } = ids();
      const started = await tokens.startActivation(session);
      // Refused here already when the person has an active device of this model.
      await tokens.chooseDevice(session, started.id, model);
      return started;
    });
    if (flow) dispatch({ type: 'go', screen: 'tokenLookAway', data: { activationId: flow.id } });
  };
  return (
    <Page title={sentence(t('haveDevice.title', { device }))}>
      <p>{t('haveDevice.body')}</p>
      <ul className="menu-list">
        <li>
          <button type="button" className="menu-item" disabled={step.busy} onClick={activate}>
            <span className="menu-label">{t('haveDevice.yes')}</span>
            <span className="hint">{t('haveDevice.yesHint')}</span>
          </button>
        </li>
        <li>
          <button
            type="button"
            className="menu-item"
            disabled={step.busy}
            onClick={() => dispatch({ type: 'go', screen: 'order' })}
          >
            <span className="menu-label">{t('haveDevice.no')}</span>
            <span className="hint">{t('haveDevice.noHint')}</span>
          </button>
        </li>
      </ul>
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
    </Page>
  );
}

export function TokenLookAwayScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <LookAwayPage
      title={t('tokenLookAway.title')}
      body={t('tokenLookAway.body')}
      next={t('tokenLookAway.next')}
      onNext={() => dispatch({ type: 'go', screen: 'password' })}
    />
  );
}

/** A new password typed twice, with "show the password"; shared by journey C and the chip registration. */
export function PasswordPair(props: {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  /** The step's error (shown below the form, `step-error`) concerns these fields. */
  invalid: boolean;
  onEdit: () => void;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const change = (set: (v: string) => void) => (v: string) => {
    set(v);
    props.onEdit();
  };
  const describedBy = props.invalid ? 'step-error' : undefined;
  return (
    <>
      <TextField
        id="password"
        label={t('password.label')}
        hint={t('password.hint')}
        type={shown ? 'text' : 'password'}
        value={props.password}
        onChange={change(props.onPassword)}
        autoComplete="new-password"
        maxLength={64}
        invalid={props.invalid}
        describedBy={describedBy}
      />
      <TextField
        id="password-repeat"
        label={t('password.repeat')}
        type={shown ? 'text' : 'password'}
        value={props.repeat}
        onChange={change(props.onRepeat)}
        autoComplete="new-password"
        maxLength={64}
        invalid={props.invalid}
        describedBy={describedBy}
      />
      <ShowSecret id="password-show" label={t('password.show')} checked={shown} onChange={setShown} />
    </>
  );
}

export function PasswordScreen() {
  const { t } = useTranslation();
  const { dispatch, tokens } = useJourney();
  const { device } = useDevice();
  const step = useStep();
  const ids = useIds();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The server's rules decide (core's validateNewPassword, with the user-ID); it returns the strength.
    const r = await step.guard(() => {
      const { session, activation } = ids();
      return tokens.setPassword(session, activation, { password, repeat });
    });
    if (r) {
      // The password leaves this screen only towards the server.
      setPassword('');
      setRepeat('');
      dispatch({ type: 'go', screen: 'serial', data: { passwordStrength: r.output.strength } });
    }
  };
  return (
    <Page title={t('password.title')}>
      <p>{t('password.body', { device })}</p>
      <form onSubmit={submit} noValidate>
        <PasswordPair
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          invalid={step.inlineError !== undefined}
          onEdit={step.clearError}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

const STRENGTH_MAX = 4;
const STRENGTH_STEPS = [1, 2, 3, 4] as const;

/** The saved password's strength as the server scored it (0-4). */
export function StrengthNote(props: { score: number }) {
  const { t } = useTranslation();
  const score = Math.max(0, Math.min(STRENGTH_MAX, Math.round(props.score)));
  return (
    <div className="success strength-note" data-strength={score}>
      <p>{t('serial.saved')}</p>
      <p>{t('serial.strength', { level: t(`strength.${score}`), score, max: STRENGTH_MAX })}</p>
      <div className="strength-bar" aria-hidden="true">
        {STRENGTH_STEPS.map((n) => (
          <span key={n} className={n <= score ? 'on' : ''} />
        ))}
      </div>
    </div>
  );
}

export function SerialScreen() {
  const { t } = useTranslation();
  const { state, dispatch, tokens } = useJourney();
  const { device } = useDevice();
  const step = useStep();
  const ids = useIds();
  const [value, setValue] = useState(state.serial ?? '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.guard(() => {
      const { session, activation } = ids();
      return tokens.enterSerial(session, activation, value);
    });
    if (r) dispatch({ type: 'go', screen: 'otp', data: { serial: r.output.serial } });
  };
  return (
    <Page title={t('serial.title')}>
      {state.passwordStrength !== undefined ? <StrengthNote score={state.passwordStrength} /> : null}
      <form onSubmit={submit} noValidate>
        <TextField
          id="serial"
          label={sentence(t('serial.label', { device }))}
          hint={t('serial.hint')}
          value={value}
          {...stepField(step, setValue)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={80}
        />
        <StepFooter step={step} />
      </form>
    </Page>
  );
}

export function OtpScreen() {
  const { t } = useTranslation();
  const { state, dispatch, tokens, config } = useJourney();
  const { model, device } = useDevice();
  const step = useStep();
  const ids = useIds();
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.guard(() => {
      const { session, activation } = ids();
      return tokens.enterCode(session, activation, value.replace(/\s/g, ''));
    });
    if (r) dispatch({ type: 'go', screen: 'activated' });
  };
  const attemptsLeft = step.inlineError?.details?.['attemptsLeft'];
  return (
    <Page title={t('otp.title')}>
      <p>{model === 'reader' ? t('otp.reader') : t('otp.display')}</p>
      {config.development && state.serial ? (
        <p className="notice">
          <a
            href={`/dev/code-display?serial=${encodeURIComponent(state.serial)}`}
            target="_blank"
            rel="noreferrer"
          >
            {t('otp.devDisplay', { device })}
          </a>
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <TextField
          id="otp"
          label={sentence(t('otp.label', { device }))}
          value={value}
          {...stepField(step, setValue)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
        />
        <StepError error={step.inlineError}>
          {typeof attemptsLeft === 'number' ? <p>{t('otp.attemptsLeft', { count: attemptsLeft })}</p> : null}
        </StepError>
        {step.busy ? <Busy label={t('app.working')} /> : null}
        <Actions>
          <button type="submit" className="primary" disabled={step.busy}>
            {t('app.next')}
          </button>
        </Actions>
      </form>
    </Page>
  );
}

export function ActivatedScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { device } = useDevice();
  return (
    <Page title={sentence(t('activated.title', { device }))}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <p>{t('activated.body', { device })}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'restart' })}>
          {t('done.finish')}
        </button>
      </Actions>
    </Page>
  );
}
