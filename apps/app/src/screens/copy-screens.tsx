// Journey B on the new phone, up to the temporary PIN (DESIGN §1 B, the seed's steps 6-13 of "App på en
// anden telefon/tablet"): Copy from another app → the QR is shown on the old app → scan it → show the reverse
// QR until the old phone has scanned it (proximity) → the helper looks away → user-ID → temporary PIN (SMS).
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTransferQr } from '../api/app-api.ts';
import { generateDeviceKey, publicJwk, randomSecret } from '../device/device-key.ts';
import { useInstance } from '../device/instance-context.tsx';
import { useJourney } from '../journey/journey-context.tsx';
import { SecretField } from '../ui/fields.tsx';
import { LookAwayPage } from '../ui/look-away-figure.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, stepField } from '../ui/step-error.tsx';
import { useAppStep } from './app-step.tsx';
import { QrCodeImage } from './qr-code-image.tsx';
import type { ScanVerdict } from './qr-scanner.tsx';
import { DevOutboxNotice, SmsCodeField } from './sms-code-field.tsx';

const QrScanner = lazy(() => import('./qr-scanner.tsx'));

/** The Activate screen's entry on a phone without an activated app (seed: "Kopier fra anden MitID app"). */
export function CopyActivateItem() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { instance } = useInstance();
  if (instance?.activated) return null;
  return (
    <li>
      <button
        type="button"
        className="menu-item"
        onClick={() => dispatch({ type: 'go', screen: 'copyIntro' })}
      >
        <span className="menu-label">{t('copy.menu')}</span>
        <span className="hint">{t('copy.menuHint')}</span>
      </button>
    </li>
  );
}

export function CopyIntroScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const [shown, setShown] = useState(false);
  const [missing, setMissing] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!shown) return setMissing(true);
    dispatch({ type: 'go', screen: 'copyScan' });
  };
  return (
    <Page title={t('copy.intro.title')}>
      <ol className="steps">
        <li>{t('copy.intro.step1')}</li>
        <li>{t('copy.intro.step2')}</li>
        <li>{t('copy.intro.step3')}</li>
      </ol>
      <form onSubmit={submit} noValidate>
        {missing ? (
          <p id="copyShown-error" className="field-error" role="alert">
            {t('copy.intro.required')}
          </p>
        ) : null}
        <div className="checkbox">
          <input
            id="copyShown"
            type="checkbox"
            checked={shown}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'copyShown-error' : undefined}
            onChange={(e) => {
              setShown(e.target.checked);
              setMissing(false);
            }}
          />
          <label htmlFor="copyShown">{t('copy.intro.shown')}</label>
        </div>
        <Actions>
          <button type="submit" className="primary">
            {t('copy.intro.scan')}
          </button>
        </Actions>
      </form>
    </Page>
  );
}

export function CopyScanScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { appApi } = useInstance();
  const step = useAppStep();
  const onText = async (text: string): Promise<ScanVerdict> => {
    const code = parseTransferQr(text);
    if (!code) return 'wrong';
    // The claim secret is this phone's own: only it can take the next steps of the transfer.
    const claim = randomSecret();
    const ephemeral = await generateDeviceKey();
    const scanned = await step.guard(async () =>
      appApi.scan(code.transferId, {
        secret: code.secret,
        claim,
        ephemeralKey: { jwk: await publicJwk(ephemeral.publicKey) },
      }),
    );
    if (scanned)
      dispatch({
        type: 'go',
        screen: 'copyProximity',
        data: {
          transferJoin: {
            transferId: code.transferId,
            claim,
            instanceId: scanned.instanceId,
            presentation: scanned.proximity.presentation,
          },
        },
      });
    return 'taken';
  };
  return (
    <Page title={t('copy.scan.title')}>
      <p>{t('copy.scan.body')}</p>
      <Suspense fallback={<Busy label={t('app.working')} />}>
        <QrScanner instruction={t('copy.scan.instruction')} onText={onText} disabled={step.busy} />
      </Suspense>
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
    </Page>
  );
}

export function CopyProximityScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi } = useInstance();
  const join = state.transferJoin;
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!join) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const status = await appApi.status(join.transferId, { claim: join.claim }).catch(() => undefined);
      if (!live) return;
      if (status?.state === 'cancelled') return setEnded(true);
      if (status && status.state !== 'scanned') return dispatch({ type: 'go', screen: 'copyLookAway' });
      timer = setTimeout(() => void poll(), 1500);
    };
    timer = setTimeout(() => void poll(), 1000);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [appApi, dispatch, join]);
  return (
    <Page title={t('copy.near.title')}>
      <p>{t('copy.near.body')}</p>
      {join ? <QrCodeImage text={join.presentation} alt={t('copy.near.alt')} testId="proximity-qr" /> : null}
      {ended ? (
        <div className="inline-error" role="alert">
          <p>{t('copy.near.cancelled')}</p>
        </div>
      ) : (
        <p className="busy" role="status">
          <span className="spinner" aria-hidden="true" /> {t('copy.near.waiting')}
        </p>
      )}
      {ended ? (
        <Actions>
          <button type="button" className="primary" onClick={() => dispatch({ type: 'restart' })}>
            {t('error.startOver')}
          </button>
        </Actions>
      ) : null}
    </Page>
  );
}

export function CopyLookAwayScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <LookAwayPage
      title={t('lookAway.title')}
      body={t('copy.lookAway.body')}
      next={t('lookAway.next')}
      onNext={() => dispatch({ type: 'go', screen: 'copyUserId' })}
    />
  );
}

export function CopyUserIdScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi } = useInstance();
  const step = useAppStep(['ERR_TRANSFER_USER_ID_WRONG']);
  const [value, setValue] = useState('');
  const join = state.transferJoin;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!join) return;
    const r = await step.guard(() => appApi.userId(join.transferId, join.claim, value));
    // The user-ID goes only to the server; the app keeps nothing of it.
    if (r) {
      setValue('');
      dispatch({
        type: 'go',
        screen: 'copyTempPin',
        data: { transferJoin: { ...join, ...(r.to ? { smsTo: r.to } : {}) } },
      });
    }
  };
  return (
    <Page title={t('copy.userId.title')}>
      <p>{t('copy.userId.body')}</p>
      <form onSubmit={submit} noValidate>
        <SecretField
          id="copyUserId"
          label={t('userId.label')}
          value={value}
          {...stepField(step, setValue)}
          autoComplete="username"
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

/** Codes of the temporary PIN that need a new one: the user-ID step sends it (at most 3 per transfer). */
const NEW_PIN_NEEDED = ['ERR_TEMPORARY_PIN_EXPIRED', 'ERR_TEMPORARY_PIN_EXHAUSTED', 'ERR_TEMPORARY_PIN_USED'];

export function CopyTempPinScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi } = useInstance();
  const step = useAppStep(NEW_PIN_NEEDED);
  const [value, setValue] = useState('');
  const join = state.transferJoin;
  const needNew = step.inlineError !== undefined && NEW_PIN_NEEDED.includes(step.inlineError.code);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!join) return;
    const r = await step.guard(() =>
      appApi.temporaryPin(join.transferId, join.claim, value.replace(/\s/g, '')),
    );
    if (r) dispatch({ type: 'go', screen: 'copyPinIntro' });
  };
  return (
    <Page title={t('copy.tempPin.title')}>
      <p>{t('copy.tempPin.body', { to: join?.smsTo ?? '' })}</p>
      <DevOutboxNotice />
      <form onSubmit={submit} noValidate>
        <SmsCodeField
          id="tempPin"
          label={t('copy.tempPin.label')}
          value={value}
          {...stepField(step, setValue)}
        />
        <StepError error={step.inlineError}>
          {needNew ? <p>{t('copy.tempPin.newNeeded')}</p> : null}
        </StepError>
        {step.busy ? <Busy label={t('app.working')} /> : null}
        <Actions>
          <button type="submit" className="primary" disabled={step.busy}>
            {t('app.next')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => dispatch({ type: 'recover', to: 'copyUserId' })}
          >
            {t('copy.tempPin.resend')}
          </button>
        </Actions>
      </form>
    </Page>
  );
}
