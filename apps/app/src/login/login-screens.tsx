// The login's own screens: who asks and what they get, the user-ID, the list of methods, and the ends
// (loading, returning to the service, an error that needs a new start at the service).
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error.ts';
import { TextField } from '../ui/fields.tsx';
import { Actions, Busy, InlineError, Page } from '../ui/page.tsx';
import { orderMethods } from './login-api.ts';
import { useLogin } from './login-context.ts';
import { loginErrorKey } from './login-errors.ts';
import { type LoginStep, useLoginStep } from './login-step.ts';

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'login.scope.openid',
  profile: 'login.scope.profile',
  ssn: 'login.scope.ssn',
};

/** The service's name and what it receives (the scopes it asked for). */
export function ServiceSummary() {
  const { t } = useTranslation();
  const { view } = useLogin();
  return (
    <div className="login-service">
      <p>{t('login.receives', { service: view.service.name })}</p>
      <ul data-testid="login-scopes">
        {view.scopes.map((s) => (
          <li key={s}>{SCOPE_TEXT[s] ? t(SCOPE_TEXT[s]) : t('login.scope.other', { scope: s })}</li>
        ))}
      </ul>
    </div>
  );
}

/** The error of a login form, translated, announced at once. */
export function LoginError(props: { error: ApiError | undefined; id?: string; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  if (!props.error) return null;
  return (
    <InlineError id={props.id ?? 'login-error'}>
      <p data-error-code={props.error.code}>{t(loginErrorKey(props.error, (k) => i18n.exists(k)))}</p>
      {props.children}
    </InlineError>
  );
}

/** Cancels the login: the service is told the person cancelled (access_denied). */
export function CancelLogin(props: { disabled?: boolean }) {
  const { t } = useTranslation();
  const { api } = useLogin();
  const step = useLoginStep();
  return (
    <div className="login-cancel">
      <button
        type="button"
        className="secondary"
        data-testid="login-cancel"
        disabled={props.disabled || step.busy}
        onClick={() => void step.run(() => api.abort())}
      >
        {t('login.cancel')}
      </button>
      <LoginError error={step.error} id="cancel-error" />
    </div>
  );
}

export function SubmitRow(props: { step: LoginStep; label: string; busyLabel?: string }) {
  const { t } = useTranslation();
  return (
    <>
      {props.step.busy ? <Busy label={props.busyLabel ?? t('app.working')} /> : null}
      <Actions>
        <button type="submit" className="primary" data-testid="login-submit" disabled={props.step.busy}>
          {props.label}
        </button>
      </Actions>
    </>
  );
}

export function UserIdScreen() {
  const { t } = useTranslation();
  const { api, view } = useLogin();
  const step = useLoginStep();
  const [userId, setUserId] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (userId.trim() === '') return setMissing(true);
    await step.run(() => api.userId(userId));
  };
  const invalid = missing || step.error !== undefined;
  return (
    <Page title={t('login.title', { service: view.service.name })}>
      <ServiceSummary />
      <form onSubmit={submit} noValidate>
        <TextField
          id="login-user-id"
          data-testid="login-user-id"
          label={t('login.userId.label')}
          hint={t('login.userId.hint')}
          error={missing ? t('login.userId.required') : undefined}
          invalid={invalid}
          describedBy={step.error ? 'login-error' : undefined}
          value={userId}
          onChange={(v) => {
            setUserId(v);
            setMissing(false);
            step.setError(undefined);
          }}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={48}
        />
        <LoginError error={step.error} />
        <SubmitRow step={step} label={t('login.continue')} />
      </form>
      <CancelLogin disabled={step.busy} />
    </Page>
  );
}

export function MethodsScreen() {
  const { t, i18n } = useTranslation();
  const { api, view } = useLogin();
  const step = useLoginStep();
  const methods = orderMethods(view.methods, view.lastMethod);
  return (
    <Page title={t('login.methods.title')}>
      <p className="hint">{t('login.title', { service: view.service.name })}</p>
      <ul className="menu-list">
        {methods.map((m) => {
          const hint = `${m.messageId}.hint`;
          return (
            <li key={m.id}>
              <button
                type="button"
                className="menu-item"
                data-testid={`login-method-${m.id}`}
                disabled={step.busy}
                onClick={() => void step.run(() => api.start(m.id))}
              >
                <span className="menu-label">
                  {i18n.exists(m.messageId) ? t(m.messageId) : m.id}
                  {m.id === view.lastMethod ? (
                    <span className="login-last"> ({t('login.methods.last')})</span>
                  ) : null}
                </span>
                {i18n.exists(hint) ? <span className="hint">{t(hint)}</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
      <LoginError error={step.error} />
      {step.busy ? <Busy label={t('app.working')} /> : null}
      <CancelLogin disabled={step.busy} />
    </Page>
  );
}

export function LoadingScreen() {
  const { t } = useTranslation();
  return (
    <Page title={t('login.pageTitle')}>
      <Busy label={t('login.loading')} />
    </Page>
  );
}

export function LeavingScreen(props: { service: string }) {
  const { t } = useTranslation();
  return (
    <Page title={t('login.pageTitle')}>
      <Busy label={t('login.finishing', { service: props.service })} />
    </Page>
  );
}

export function LoginErrorScreen(props: { error: ApiError }) {
  const { t, i18n } = useTranslation();
  return (
    <Page title={t('login.error.title')}>
      <div className="error-box" data-error-code={props.error.code}>
        <p className="error-message">{t(loginErrorKey(props.error, (k) => i18n.exists(k)))}</p>
        <p>{t('login.error.startAgain')}</p>
        <p className="hint">{t('error.code', { code: props.error.code })}</p>
      </div>
    </Page>
  );
}
