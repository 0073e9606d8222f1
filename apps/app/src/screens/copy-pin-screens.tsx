// Journey B on the new phone, from the personal PIN to "ready to use" (the seed's steps 14-19): the PIN
// (6 digits, typed twice while the helper looks away), the device key made here and proved to the server,
// biometrics (a WebAuthn platform credential, optional), notifications (web push, optional), activated.
import { APP_STATEMENTS as STATEMENTS, validatePin } from '@tillid/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error.ts';
import { generateDeviceKey, publicJwk, signText } from '../device/device-key.ts';
import { useInstance } from '../device/instance-context.tsx';
import { subscribeToPush } from '../device/push-subscription.ts';
import { useJourney } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { LookAwayFigure } from '../ui/look-away-figure.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter } from '../ui/step-error.tsx';
import { useAppStep } from './app-step.tsx';

export function CopyPinIntroScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('copy.pinIntro.title')}>
      <p>{t('copy.pinIntro.body')}</p>
      <ul>
        <li>{t('copy.pinIntro.rule1')}</li>
        <li>{t('copy.pinIntro.rule2')}</li>
      </ul>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'copyPin' })}>
          {t('app.next')}
        </button>
      </Actions>
    </Page>
  );
}

type PinPhase = 'lookAway' | 'pin' | 'lookAwayRepeat' | 'repeat';

/** The PIN and its repeat stay in this screen's own state: never in the journey state or its history. */
export function CopyPinScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi, save } = useInstance();
  const step = useAppStep(['ERR_PIN_FORMAT', 'ERR_PIN_TRIVIAL', 'ERR_PIN_MISMATCH']);
  const [phase, setPhase] = useState<PinPhase>('lookAway');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [localError, setLocalError] = useState<ApiError | undefined>(undefined);
  const join = state.transferJoin;
  const error = localError ?? step.inlineError;

  const submitPin = (e: FormEvent) => {
    e.preventDefault();
    // The server decides (it also refuses the birth date); this only spares a round trip for the obvious.
    const r = validatePin(pin);
    if (!r.ok) {
      const messageId = r.error.code === 'ERR_PIN_FORMAT' ? 'error.pin.format' : 'error.pin.trivial';
      return setLocalError(new ApiError({ code: r.error.code, messageId, status: 0 }));
    }
    setLocalError(undefined);
    step.clearError();
    setPhase('lookAwayRepeat');
  };
  const submitRepeat = async (e: FormEvent) => {
    e.preventDefault();
    if (!join) return;
    const done = await step.guard(async () => {
      const keyPair = await generateDeviceKey();
      const proof = await signText(
        keyPair.privateKey,
        STATEMENTS.activation(join.transferId, join.instanceId),
      );
      // Saved before the server hears of it, so the key the server keeps is always the one on this phone.
      await save({
        instanceId: join.instanceId,
        keyPair,
        activated: false,
        biometrics: false,
        savedAt: Date.now(),
      });
      return appApi.pin(join.transferId, {
        claim: join.claim,
        pin,
        repeat,
        deviceKey: { jwk: await publicJwk(keyPair.publicKey) },
        proof,
      });
    });
    if (done) {
      setPin('');
      setRepeat('');
      dispatch({ type: 'go', screen: 'copyBiometrics' });
    } else {
      setRepeat('');
      setPhase('pin');
    }
  };

  if (phase === 'lookAway' || phase === 'lookAwayRepeat') {
    return (
      <Page key={phase} title={t('lookAway.title')}>
        <LookAwayFigure />
        <p>{phase === 'lookAway' ? t('copy.pin.lookAway') : t('copy.pin.lookAwayRepeat')}</p>
        <Actions>
          <button
            type="button"
            className="primary"
            onClick={() => setPhase(phase === 'lookAway' ? 'pin' : 'repeat')}
          >
            {t('lookAway.next')}
          </button>
        </Actions>
      </Page>
    );
  }
  const first = phase === 'pin';
  return (
    <Page key={phase} title={first ? t('copy.pin.title') : t('copy.pin.repeatTitle')}>
      <form onSubmit={first ? submitPin : submitRepeat} noValidate>
        <TextField
          id={first ? 'pin' : 'pinRepeat'}
          label={first ? t('copy.pin.label') : t('copy.pin.repeatLabel')}
          hint={first ? t('copy.pin.hint') : undefined}
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={6}
          value={first ? pin : repeat}
          onChange={(v) => {
            const digits = v.replace(/\D/g, '').slice(0, 6);
            if (first) setPin(digits);
            else setRepeat(digits);
            setLocalError(undefined);
            step.clearError();
          }}
          invalid={error !== undefined}
          describedBy={error ? 'step-error' : undefined}
        />
        <StepFooter step={{ busy: step.busy, inlineError: error }} />
      </form>
    </Page>
  );
}

export function CopyBiometricsScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi, instance, save } = useInstance();
  const step = useAppStep(['ERR_WEBAUTHN_INVALID']);
  const [unavailable, setUnavailable] = useState(false);
  const join = state.transferJoin;
  const supported = typeof window !== 'undefined' && 'PublicKeyCredential' in window;
  const choose = async (on: boolean) => {
    if (!join) return;
    const done = await step.guard(async () => {
      let credential: unknown = null;
      if (on) {
        const options = await appApi.biometricsOptions(join.transferId, join.claim);
        const { startRegistration } = await import('@simplewebauthn/browser');
        try {
          credential = await startRegistration({ optionsJSON: options as never });
        } catch {
          // Cancelled, or no platform authenticator: say so and let the person go on without.
          setUnavailable(true);
          return undefined;
        }
      }
      return appApi.biometrics(join.transferId, join.claim, credential);
    });
    if (done) {
      if (on && instance) await save({ ...instance, biometrics: true });
      dispatch({ type: 'go', screen: 'copyNotifications' });
    }
  };
  return (
    <Page title={t('copy.bio.title')}>
      <p>{t('copy.bio.body')}</p>
      {!supported || unavailable ? (
        <p className="notice" role="status">
          {t('copy.bio.unavailable')}
        </p>
      ) : null}
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        {supported && !unavailable ? (
          <button type="button" className="primary" disabled={step.busy} onClick={() => choose(true)}>
            {t('copy.bio.use')}
          </button>
        ) : null}
        <button
          type="button"
          className={supported && !unavailable ? 'secondary' : 'primary'}
          disabled={step.busy}
          onClick={() => choose(false)}
        >
          {t('copy.bio.skip')}
        </button>
      </Actions>
    </Page>
  );
}

export function CopyNotificationsScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi, instance, save } = useInstance();
  const step = useAppStep();
  const [refused, setRefused] = useState(false);
  const join = state.transferJoin;
  const choose = async (allow: boolean) => {
    if (!join) return;
    const done = await step.guard(async () => {
      const subscription = allow ? ((await subscribeToPush(() => appApi.vapidPublicKey())) ?? null) : null;
      if (allow && !subscription) setRefused(true);
      return appApi.notifications(join.transferId, join.claim, subscription);
    });
    if (!done) return;
    // Activated on the server: this phone's instance is now the activated app (kept across reloads).
    if (instance && instance.instanceId === done.instanceId) await save({ ...instance, activated: true });
    dispatch({ type: 'go', screen: 'copyActivated' });
  };
  return (
    <Page title={t('copy.notify.title')}>
      <p>{t('copy.notify.body')}</p>
      {refused ? (
        <p className="notice" role="status">
          {t('copy.notify.refused')}
        </p>
      ) : null}
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        <button type="button" className="primary" disabled={step.busy} onClick={() => choose(true)}>
          {t('copy.notify.allow')}
        </button>
        <button type="button" className="secondary" disabled={step.busy} onClick={() => choose(false)}>
          {t('copy.notify.skip')}
        </button>
      </Actions>
    </Page>
  );
}

export function CopyActivatedScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('copy.activated.title')}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <p>{t('copy.activated.body')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'home' })}>
          {t('copy.activated.ok')}
        </button>
      </Actions>
    </Page>
  );
}
