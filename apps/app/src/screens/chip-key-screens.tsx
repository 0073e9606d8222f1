// Registering the chip (DESIGN §1 C: a FIDO2 security key used with the password) right after journey A:
// look away → the password twice → insert and touch the security key → registered. The password is checked
// by @tillid/core's rules here for quick feedback, and by the server (with the user-ID) when it is saved.
import { validateNewPassword } from '@tillid/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, toApiError } from '../api/api-error.ts';
import { chipApi } from '../api/chip-api.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { securityKeyCredential } from '../login/security-key.ts';
import { LookAwayFigure } from '../ui/look-away-figure.tsx';
import { Actions, Page } from '../ui/page.tsx';
import { StepFooter } from '../ui/step-error.tsx';
import { PasswordPair, StrengthNote } from './token-screens.tsx';

/** A registration is valid 5 minutes on the server; an older one is started again before the key is used. */
const REGISTRATION_REUSE_MS = 4 * 60_000;

function useChip() {
  const { state } = useJourney();
  const api = useMemo(() => chipApi(), []);
  const session = () => {
    if (!state.flowId) throw toApiError(new TypeError('no enrollment session'));
    return state.flowId;
  };
  return { api, session };
}

export function ChipKeyLookAwayScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const chip = useChip();
  const next = async () => {
    // Started here, so a second chip (ERR_CHIP_LIMIT) is refused before anything is typed.
    const r = await step.guard(() => chip.api.start(chip.session()));
    if (r)
      dispatch({
        type: 'go',
        screen: r.passwordRequired ? 'chipKeyPassword' : 'chipKeyTouch',
        data: { chipKey: { registration: { ...r, startedAt: Date.now() } } },
      });
  };
  return (
    <Page title={t('tokenLookAway.title')}>
      <LookAwayFigure />
      <p>{t('chipKey.lookAway.body')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void next();
        }}
      >
        <StepFooter step={step} label={t('tokenLookAway.next')} />
      </form>
    </Page>
  );
}

export function ChipKeyPasswordScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const step = useStep();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await step.guard(async () => {
      const r = validateNewPassword(password, repeat);
      if (!r.ok) throw new ApiError({ code: r.error.code, messageId: r.error.messageId, status: 422 });
      return true;
    });
    if (ok)
      dispatch({
        type: 'go',
        screen: 'chipKeyTouch',
        // Kept only until the key is registered with it (then dropped from the state).
        data: { chipKey: { ...state.chipKey, password } },
      });
  };
  return (
    <Page title={t('password.title')}>
      <p>{t('chipKey.password.body')}</p>
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

/** A USB security key with its touch pad (decorative). */
function SecurityKeyFigure() {
  return (
    <svg className="chip-key-figure" viewBox="0 0 120 60" width="120" height="60" aria-hidden="true">
      <rect x="4" y="14" width="84" height="32" rx="8" fill="#0b3d91" />
      <rect x="88" y="20" width="26" height="20" rx="2" fill="#767676" />
      <circle cx="40" cy="30" r="9" fill="#ffbf47" />
      <circle cx="16" cy="30" r="4" fill="#fff" />
    </svg>
  );
}

export function ChipKeyTouchScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const step = useStep();
  const chip = useChip();
  const register = async (e: FormEvent) => {
    e.preventDefault();
    const r = await step.guard(async () => {
      const session = chip.session();
      let registration = state.chipKey?.registration;
      if (!registration || Date.now() - registration.startedAt > REGISTRATION_REUSE_MS)
        registration = { ...(await chip.api.start(session)), startedAt: Date.now() };
      // W3C WebAuthn §5.1.3: the key makes a discoverable credential for Tillid.
      const credential = await securityKeyCredential(registration.options);
      const password = state.chipKey?.password;
      return chip.api.finish(session, registration.registrationId, {
        credential,
        ...(password !== undefined ? { password, repeat: password } : {}),
      });
    });
    if (r)
      dispatch({
        type: 'go',
        screen: 'chipKeyRegistered',
        data: { chipKey: r.strength !== undefined ? { strength: r.strength } : {} },
      });
  };
  const passwordRefused = step.inlineError?.code.startsWith('ERR_PASSWORD_') ?? false;
  return (
    <Page title={t('chipKey.key.title')}>
      <SecurityKeyFigure />
      <p>{t('chipKey.key.body')}</p>
      <form onSubmit={register} noValidate>
        <StepFooter step={step} label={t('chipKey.key.register')} />
      </form>
      {step.busy ? (
        <p className="status" role="status">
          {t('chipKey.key.touch')}
        </p>
      ) : null}
      {passwordRefused ? (
        <Actions>
          <button
            type="button"
            className="secondary"
            onClick={() => dispatch({ type: 'recover', to: 'chipKeyPassword' })}
          >
            {t('chipKey.key.changePassword')}
          </button>
        </Actions>
      ) : null}
    </Page>
  );
}

export function ChipKeyRegisteredScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  return (
    <Page title={t('chipKey.registered.title')}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      {state.chipKey?.strength !== undefined ? <StrengthNote score={state.chipKey.strength} /> : null}
      <p>{t('chipKey.registered.body')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'restart' })}>
          {t('done.finish')}
        </button>
      </Actions>
    </Page>
  );
}
