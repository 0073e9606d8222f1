// Journey D on the phone (DESIGN §1 D, §3.2): the activated app's home lists logins waiting for it; one is
// opened only with the number (or the QR) the browser shows, then the person sees the service and what it
// receives, and approves by swiping and the PIN (or biometrics), or rejects. A wrong number ends the login.
import { type FormEvent, lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, toApiError } from '../api/api-error.ts';
import { parseLoginQr } from '../api/app-api.ts';
import { adviceFor } from '../api/error-advice.ts';
import { activatedSigner, useInstance } from '../device/instance-context.tsx';
import { useJourney } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError, StepFooter, useErrorText } from '../ui/step-error.tsx';
import { useAppStep } from './app-step.tsx';
import type { ScanVerdict } from './qr-scanner.tsx';
import { SwipeToApprove } from './swipe-to-approve.tsx';

const QrScanner = lazy(() => import('./qr-scanner.tsx'));

/** The home screen of an activated app (logins waiting are polled), else the start's home screen. */
export function AppHomeScreen(props: { fallback: ReactNode }) {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const { instance, appApi } = useInstance();
  const errorText = useErrorText();
  const signer = useMemo(() => activatedSigner(instance), [instance]);
  const [pending, setPending] = useState<{ loginId: string; expiresAt: number }[]>([]);
  /** Why the last poll failed: no connection, or a typed answer (a locked or no longer known app). */
  const [failing, setFailing] = useState<ApiError | undefined>(undefined);
  useEffect(() => {
    if (!signer) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const list = await appApi.pendingApprovals(signer);
        if (live) {
          setPending(list);
          setFailing(undefined);
        }
      } catch (e) {
        if (live) setFailing(toApiError(e));
      }
      if (live) timer = setTimeout(() => void poll(), 2000);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [appApi, signer]);
  if (!signer) return <>{props.fallback}</>;
  return (
    <Page title={t('appHome.title')}>
      <p>{t('appHome.body')}</p>
      <section aria-labelledby="pending-title" className="pending">
        <h2 id="pending-title">{t('appHome.pending')}</h2>
        <div role="status" aria-live="polite">
          {pending.length === 0 ? <p className="hint">{t('appHome.none')}</p> : null}
        </div>
        {pending.length > 0 ? (
          <ul className="menu-list">
            {pending.map((p) => (
              <li key={p.loginId}>
                <button
                  type="button"
                  className="menu-item"
                  data-testid="pending-login"
                  onClick={() =>
                    dispatch({
                      type: 'go',
                      screen: 'approveMatch',
                      data: { approval: { loginId: p.loginId } },
                    })
                  }
                >
                  <span className="menu-label">{t('appHome.waiting')}</span>
                  <span className="hint">{t('appHome.waitingHint')}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {failing === undefined ? null : failing.code === 'ERR_NETWORK' || failing.status >= 500 ? (
          <p className="notice">{t('appHome.offline')}</p>
        ) : (
          <div className="inline-error" role="alert" data-error-code={failing.code}>
            <p>{errorText(failing)}</p>
            <p>{t(adviceFor(failing.code).next)}</p>
          </div>
        )}
      </section>
      <Actions>
        <button type="button" className="secondary" onClick={() => dispatch({ type: 'go', screen: 'menu' })}>
          {t('home.openMenu')}
        </button>
      </Actions>
    </Page>
  );
}

export function ApproveMatchScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { instance, appApi } = useInstance();
  const step = useAppStep();
  const [number, setNumber] = useState('');
  const [scanning, setScanning] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const loginId = state.approval?.loginId;
  const open = async (seen: { number: string } | { qr: string }) => {
    const signer = activatedSigner(instance);
    if (!signer || !loginId) return;
    const view = await step.guard(() => appApi.openApproval(signer, loginId, seen));
    if (view) dispatch({ type: 'go', screen: 'approveReview', data: { approval: { loginId, view } } });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Checked here so a slip of the finger does not spend the one try the server allows.
    if (!/^\d{2}$/.test(number)) return setInvalid(true);
    await open({ number });
  };
  const onText = async (text: string): Promise<ScanVerdict> => {
    const qr = parseLoginQr(text);
    if (!qr || qr.loginId !== loginId) return 'wrong';
    await open({ qr: text.trim() });
    return 'taken';
  };
  return (
    <Page title={t('approve.match.title')}>
      <p>{t('approve.match.body')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          id="approveNumber"
          label={t('approve.match.label')}
          hint={t('approve.match.hint')}
          error={invalid ? t('approve.match.invalid') : undefined}
          value={number}
          onChange={(v) => {
            setNumber(v.replace(/\D/g, '').slice(0, 2));
            setInvalid(false);
          }}
          inputMode="numeric"
          autoComplete="off"
          maxLength={2}
        />
        <StepFooter step={step} />
      </form>
      {scanning ? (
        <Suspense fallback={<Busy label={t('app.working')} />}>
          <QrScanner instruction={t('approve.match.scanInstruction')} onText={onText} disabled={step.busy} />
        </Suspense>
      ) : (
        <Actions>
          <button type="button" className="secondary" onClick={() => setScanning(true)}>
            {t('approve.match.scan')}
          </button>
        </Actions>
      )}
    </Page>
  );
}

function scopeText(t: (key: string) => string, exists: (key: string) => boolean, scope: string): string {
  const key = `approve.scope.${scope}`;
  return exists(key) ? t(key) : scope;
}

export function ApproveReviewScreen() {
  const { t, i18n } = useTranslation();
  const { state, dispatch } = useJourney();
  const { instance, appApi } = useInstance();
  const step = useAppStep(['ERR_APP_PIN_WRONG']);
  const [swiped, setSwiped] = useState(false);
  const [pin, setPin] = useState('');
  const view = state.approval?.view;
  const signer = activatedSigner(instance);
  const withBiometrics = view?.biometrics != null && instance?.biometrics === true;
  const decide = async (
    decision: 'approve' | 'reject',
    factor: { pin: string } | { biometrics: unknown } | Record<string, never>,
  ) => {
    if (!signer || !view) return;
    const r = await step.guard(() => appApi.decide(signer, view, decision, factor));
    setPin('');
    if (r)
      dispatch({
        type: 'go',
        screen: 'approveDone',
        data: { approval: { loginId: view.loginId, view, decision: r.decision } },
      });
  };
  const approveWithPin = async (e: FormEvent) => {
    e.preventDefault();
    await decide('approve', { pin });
  };
  const approveWithBiometrics = async () => {
    if (!view?.biometrics) return;
    const { startAuthentication } = await import('@simplewebauthn/browser');
    const response = await startAuthentication({ optionsJSON: view.biometrics as never }).catch(
      () => undefined,
    );
    if (response) await decide('approve', { biometrics: response });
  };
  if (!view) return null;
  const attemptsLeft = step.inlineError?.details?.attemptsLeft;
  return (
    <Page title={t('approve.review.title', { service: view.service.name })}>
      <p>{t('approve.review.body')}</p>
      <h2 className="service-name" data-testid="approve-service">
        {view.service.name}
      </h2>
      <p>{t('approve.review.receives')}</p>
      <ul className="scopes">
        {view.scopes.map((s) => (
          <li key={s}>{scopeText(t, (k) => i18n.exists(k), s)}</li>
        ))}
      </ul>
      {!swiped ? (
        <SwipeToApprove
          label={t('approve.review.swipe')}
          hint={t('approve.review.swipeHint')}
          onSwiped={() => setSwiped(true)}
          disabled={step.busy}
        />
      ) : withBiometrics ? (
        <Actions>
          <button type="button" className="primary" disabled={step.busy} onClick={approveWithBiometrics}>
            {t('approve.review.biometrics')}
          </button>
        </Actions>
      ) : (
        <form onSubmit={approveWithPin} noValidate>
          <TextField
            id="approvePin"
            label={t('approve.review.pin')}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            autoFocus
            value={pin}
            onChange={(v) => {
              setPin(v.replace(/\D/g, '').slice(0, 6));
              step.clearError();
            }}
            invalid={step.inlineError !== undefined}
            describedBy={step.inlineError ? 'step-error' : undefined}
          />
          <StepError error={step.inlineError}>
            {typeof attemptsLeft === 'number' ? (
              <p>{t('approve.review.attemptsLeft', { count: attemptsLeft })}</p>
            ) : null}
          </StepError>
          {step.busy ? <Busy label={t('app.working')} /> : null}
          <Actions>
            <button type="submit" className="primary" disabled={step.busy}>
              {t('approve.review.approve')}
            </button>
          </Actions>
        </form>
      )}
      <Actions>
        <button
          type="button"
          className="secondary danger"
          disabled={step.busy}
          onClick={() => decide('reject', {})}
        >
          {t('approve.review.reject')}
        </button>
      </Actions>
    </Page>
  );
}

export function ApproveDoneScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const approved = state.approval?.decision === 'approve';
  return (
    <Page title={approved ? t('approve.done.approved') : t('approve.done.rejected')}>
      {approved ? (
        <div className="done-mark" aria-hidden="true">
          ✓
        </div>
      ) : null}
      <p>{approved ? t('approve.done.approvedBody') : t('approve.done.rejectedBody')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'home' })}>
          {t('copy.activated.ok')}
        </button>
      </Actions>
    </Page>
  );
}
