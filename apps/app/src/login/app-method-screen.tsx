// The app method (DESIGN §1 D, docs/app-authenticator.md): the browser shows the QR code and the 2-digit
// number the person's Tillid app must see, and polls until the app decided; the approval is valid a few
// minutes, then a new request can be sent.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/api-error.ts';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { useLogin } from './login-context.ts';
import { CancelLogin, LoginError } from './login-screens.tsx';
import { useLoginStep } from './login-step.ts';

const POLL_MS = 2000;

/** The QR payload as an image (qrcode, loaded on demand). */
function QrImage(props: { payload: string; alt: string }) {
  const [src, setSrc] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void import('qrcode')
      .then((q) => q.toDataURL(props.payload, { errorCorrectionLevel: 'M', margin: 4, width: 240 }))
      .then((url) => live && setSrc(url))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [props.payload]);
  return src ? (
    <img className="login-qr" data-testid="login-qr" src={src} alt={props.alt} width={240} height={240} />
  ) : (
    <div className="login-qr placeholder" aria-hidden="true" />
  );
}

export function AppMethodScreen() {
  const { t } = useTranslation();
  const { api, view, apply, fatal, chooseMethod } = useLogin();
  const step = useLoginStep();
  const shown = view.method?.view ?? {};
  const qr = typeof shown['qr'] === 'string' ? shown['qr'] : '';
  const number = typeof shown['number'] === 'string' ? shown['number'] : String(shown['number'] ?? '');
  const expiresAt = typeof shown['expiresAt'] === 'number' ? shown['expiresAt'] : Date.now() + 180_000;
  // The server's clock decides; the countdown uses the validity it gave, counted from when it was shown.
  const validity = useRef(Math.max(0, expiresAt - Date.now()));
  const shownAt = useRef(Date.now());
  const [left, setLeft] = useState(Math.round(validity.current / 1000));
  const [failed, setFailed] = useState(false);
  const expired = left <= 0;

  useEffect(() => {
    const timer = setInterval(() => {
      setLeft(Math.max(0, Math.round((validity.current - (Date.now() - shownAt.current)) / 1000)));
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (expired || failed) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const answer = await api.step({ poll: true });
        if (!live) return;
        // Still waiting answers the same view: keep this screen (and its countdown) as it is.
        if (answer.kind === 'finished') return apply(answer);
      } catch (e) {
        if (!live) return;
        const err = toApiError(e);
        if (err.code === 'ERR_LOGIN_BINDING' || err.code === 'ERR_FLOW_NOT_FOUND') return fatal(err);
        // A lost connection is tried again by the next poll; a refusal ends this request.
        if (err.code !== 'ERR_NETWORK' && err.code !== 'ERR_HTTP') {
          step.setError(err);
          return setFailed(true);
        }
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, apply, fatal, expired, failed, step.setError]);

  const renew = () => void step.run(() => api.start('app'));
  const total = Math.max(1, Math.round(validity.current / 1000));
  return (
    <Page title={t('login.app.title')}>
      <p>{t('login.app.open')}</p>
      {expired || failed ? (
        <>
          {expired && !failed ? (
            <div className="inline-error" role="alert">
              <p>{t('login.app.timeout')}</p>
            </div>
          ) : null}
          <LoginError error={step.error} />
          {step.busy ? <Busy label={t('app.working')} /> : null}
          <Actions>
            <button
              type="button"
              className="primary"
              data-testid="login-renew"
              onClick={renew}
              disabled={step.busy}
            >
              {t('login.app.again')}
            </button>
          </Actions>
        </>
      ) : (
        <>
          <div className="login-number-box">
            <p id="login-number-label" className="hint">
              {t('login.app.number')}
            </p>
            <p className="login-number" data-testid="login-number" aria-describedby="login-number-label">
              {number}
            </p>
          </div>
          {qr ? <QrImage payload={qr} alt={t('login.app.qr')} /> : null}
          <p className="busy" role="status">
            <span className="spinner" aria-hidden="true" /> {t('login.app.waiting')}
          </p>
          <progress
            className="login-countdown"
            max={total}
            value={left}
            aria-label={t('login.app.seconds', { seconds: left })}
          />
          <p className="hint">{t('login.app.seconds', { seconds: left })}</p>
        </>
      )}
      <p>
        <button type="button" className="link-button" onClick={chooseMethod} disabled={step.busy}>
          {t('login.otherMethod')}
        </button>
      </p>
      <CancelLogin disabled={step.busy} />
    </Page>
  );
}
