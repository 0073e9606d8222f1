// Journey B on the phone that shows the QR code (DESIGN §1 B; the seed's "Aktiver ny app med QR-kode"): the
// helper's phone right after journey A chose the app, or an already activated app after its PIN. It shows
// the QR (valid 3 minutes, renewed on request), then scans the new phone's reverse QR to prove the two
// phones are together. Nothing of the person is shown or kept here: the server sends none of it.

import { APP_STATEMENTS as STATEMENTS } from '@tillid/core';
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseProximityQr, type TransferShowState } from '../api/app-api.ts';
import { signText } from '../device/device-key.ts';
import { activatedSigner, useInstance } from '../device/instance-context.tsx';
import { useJourney } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, stepField } from '../ui/step-error.tsx';
import { useAppStep } from './app-step.tsx';
import { QrCodeImage } from './qr-code-image.tsx';
import type { ScanVerdict } from './qr-scanner.tsx';

const QrScanner = lazy(() => import('./qr-scanner.tsx'));

/** The menu entry of an activated app (seed B: copy the app to another phone). */
export function TransferMenuItem() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { instance } = useInstance();
  if (!instance?.activated) return null;
  return (
    <li>
      <button
        type="button"
        className="menu-item"
        onClick={() => dispatch({ type: 'go', screen: 'transferPin' })}
      >
        <span className="menu-label">{t('transfer.menu')}</span>
        <span className="hint">{t('transfer.menuHint')}</span>
      </button>
    </li>
  );
}

/** An activated app shows a QR only after its PIN (the server checks it with the signed request). */
export function TransferPinScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { instance, appApi } = useInstance();
  const step = useAppStep();
  const [pin, setPin] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const signer = activatedSigner(instance);
    if (!signer) return;
    const shown = await step.guard(() => appApi.showFromApp(signer, pin));
    setPin('');
    if (shown)
      dispatch({ type: 'go', screen: 'transferShow', data: { transferShow: { ...shown, source: 'app' } } });
  };
  return (
    <Page title={t('transfer.show.title')}>
      <p>{t('transfer.show.body')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          id="transferPin"
          label={t('transfer.pin.label')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={pin}
          {...stepField(step, setPin)}
        />
        {typeof step.inlineError?.details?.attemptsLeft === 'number' ? (
          <p className="hint" id="transferPin-attempts">
            {t('approve.review.attemptsLeft', { count: step.inlineError.details.attemptsLeft })}
          </p>
        ) : null}
        <StepFooter step={step} label={t('transfer.show.button')} />
      </form>
    </Page>
  );
}

function useCountdown(expiresAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

function ShownQr(props: { shown: TransferShowState }) {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { appApi } = useInstance();
  const { shown } = props;
  const left = useCountdown(shown.expiresAt);
  const expired = left === 0;
  // The new phone scanned: this phone turns to scanning the new phone's code.
  useEffect(() => {
    if (expired) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const status = await appApi.status(shown.transferId, { control: shown.control }).catch(() => undefined);
      if (!live) return;
      if (status && status.state !== 'shown') dispatch({ type: 'go', screen: 'transferScan' });
      else timer = setTimeout(() => void poll(), 1500);
    };
    timer = setTimeout(() => void poll(), 1500);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [appApi, dispatch, expired, shown.control, shown.transferId]);
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');
  if (expired) {
    return (
      <div className="inline-error" role="alert">
        <p>{t('transfer.qr.expired')}</p>
      </div>
    );
  }
  return (
    <>
      <QrCodeImage text={shown.qr} alt={t('transfer.qr.alt')} testId="transfer-qr" />
      <p className="transfer-countdown" data-seconds-left={left}>
        {t('transfer.qr.validFor', { time: `${minutes}:${seconds}` })}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {left <= 30 ? t('transfer.qr.soon') : ''}
      </p>
    </>
  );
}

export function TransferShowScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { appApi } = useInstance();
  const step = useAppStep();
  const shown = state.transferShow;
  const show = async () => {
    if (shown?.source === 'app') return dispatch({ type: 'go', screen: 'transferPin' });
    const enrollmentId = state.flowId;
    if (!enrollmentId) return;
    const next = await step.guard(() => appApi.showFromEnrollment(enrollmentId));
    if (next)
      dispatch({
        type: 'go',
        screen: 'transferShow',
        data: { transferShow: { ...next, source: 'enrollment' } },
      });
  };
  const expired = shown !== undefined && shown.expiresAt <= Date.now();
  return (
    <Page title={t('transfer.show.title')}>
      {shown ? (
        <>
          <p>{t('transfer.qr.body')}</p>
          <ShownQr key={shown.transferId} shown={shown} />
          <p>{t('transfer.qr.next')}</p>
        </>
      ) : (
        <>
          <p>{t('transfer.show.body')}</p>
          <p>{t('transfer.show.helper')}</p>
        </>
      )}
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        <button
          type="button"
          className={shown && !expired ? 'secondary' : 'primary'}
          onClick={show}
          disabled={step.busy}
        >
          {shown ? t('transfer.qr.renew') : t('transfer.show.button')}
        </button>
        {shown ? (
          <button
            type="button"
            className="secondary"
            onClick={() => dispatch({ type: 'go', screen: 'transferScan' })}
          >
            {t('transfer.qr.scanNow')}
          </button>
        ) : null}
      </Actions>
    </Page>
  );
}

export function TransferScanScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { instance, appApi } = useInstance();
  const step = useAppStep();
  const shown = state.transferShow;
  const onText = async (text: string): Promise<ScanVerdict> => {
    const code = parseProximityQr(text);
    if (!shown || !code || code.transferId !== shown.transferId) return 'wrong';
    const signer = shown.source === 'app' ? activatedSigner(instance) : undefined;
    // docs/app-authenticator.md "Proximity": an app signs what it scanned; the helper's phone has no device
    // key and is trusted through its control token.
    const signature = signer
      ? await signText(signer.privateKey, STATEMENTS.proximity(code.transferId, code.thumbprint))
      : undefined;
    const done = await step.guard(() =>
      appApi.proximity(shown.transferId, {
        control: shown.control,
        evidence: { thumbprint: code.thumbprint, ...(signature ? { signature } : {}) },
      }),
    );
    if (done) dispatch({ type: 'go', screen: 'transferDone' });
    return 'taken';
  };
  return (
    <Page title={t('transfer.scan.title')}>
      <p>{t('transfer.scan.body')}</p>
      <Suspense fallback={<Busy label={t('app.working')} />}>
        <QrScanner instruction={t('transfer.scan.instruction')} onText={onText} disabled={step.busy} />
      </Suspense>
      <StepError error={step.inlineError} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
    </Page>
  );
}

export function TransferDoneScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const fromApp = state.transferShow?.source === 'app';
  return (
    <Page title={t('transfer.done.title')}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <p>{t('transfer.done.body')}</p>
      <p>{fromApp ? t('transfer.done.stillActive') : t('transfer.done.nothingKept')}</p>
      <Actions>
        <button
          type="button"
          className="primary"
          // Back to the start: the reducer forgets the enrollment and the transfer.
          onClick={() => dispatch(fromApp ? { type: 'go', screen: 'home' } : { type: 'restart' })}
        >
          {t('done.finish')}
        </button>
      </Actions>
    </Page>
  );
}
