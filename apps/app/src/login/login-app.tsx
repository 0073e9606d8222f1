// The login pages of journey D (docs/oidc.md): the OIDC interaction at /login/<uid> in the app's look, in
// Danish, English and Greenlandic: service and scopes → user-ID → method (last used first) → its steps.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { ApiError, toApiError } from '../api/api-error.ts';
import { createI18n, isLocale, LOCALE_NAMES, LOCALES, type Locale, saveLocale } from '../i18n.ts';
import { AppMethodScreen } from './app-method-screen.tsx';
import { type LoginAnswer, type LoginView, loginApi } from './login-api.ts';
import { LoginContext } from './login-context.ts';
import {
  LeavingScreen,
  LoadingScreen,
  LoginErrorScreen,
  MethodsScreen,
  UserIdScreen,
} from './login-screens.tsx';
import { PasswordMethodScreen } from './password-method-screens.tsx';

type Phase =
  | { readonly kind: 'loading' }
  | { readonly kind: 'view'; readonly view: LoginView; readonly choosing: boolean }
  | { readonly kind: 'leaving'; readonly service: string }
  | { readonly kind: 'fatal'; readonly error: ApiError };

function Header(props: { locale: Locale; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <header className="top">
      <div className="top-row">
        <span className="brand">{t('app.name')}</span>
        <div className="top-tools">
          <label className="language">
            <span className="visually-hidden">{t('app.language')}</span>
            <select
              value={props.locale}
              onChange={(e) => isLocale(e.target.value) && props.onLocale(e.target.value)}
              data-testid="language"
            >
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
    </header>
  );
}

function CurrentScreen(props: { view: LoginView; choosing: boolean }) {
  const { view } = props;
  if (view.step === 'user-id') return <UserIdScreen />;
  if (view.step === 'finished') return null;
  if (view.method === null || props.choosing) return <MethodsScreen />;
  switch (view.method.id) {
    case 'app':
      return <AppMethodScreen />;
    case 'code-display':
    case 'code-reader':
    case 'chip':
      return <PasswordMethodScreen kind={view.method.id} />;
    default:
      return <MethodsScreen />;
  }
}

function LoginFlow(props: { base: string | undefined; locale: Locale; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [retrying, setRetrying] = useState(false);
  const api = useMemo(
    () =>
      loginApi(props.base ?? '/login/none', {
        onRetry: () => {
          setRetrying(true);
          setTimeout(() => setRetrying(false), 4000);
        },
      }),
    [props.base],
  );
  const fatal = useCallback((error: ApiError) => setPhase({ kind: 'fatal', error }), []);
  useEffect(() => {
    if (!props.base) return fatal(overError());
    api.load().then(
      (view) =>
        setPhase(
          view.step === 'finished'
            ? { kind: 'fatal', error: overError() }
            : { kind: 'view', view, choosing: false },
        ),
      (e: unknown) => fatal(toApiError(e)),
    );
  }, [api, fatal, props.base]);
  const apply = useCallback((answer: LoginAnswer) => {
    if (answer.kind === 'finished') {
      setPhase((p) => ({ kind: 'leaving', service: p.kind === 'view' ? p.view.service.name : '' }));
      // Back to the provider, which sends the browser on to the service with the code.
      location.assign(answer.redirectTo);
    } else setPhase({ kind: 'view', view: answer.view, choosing: false });
  }, []);
  const chooseMethod = useCallback(
    () => setPhase((p) => (p.kind === 'view' ? { ...p, choosing: true } : p)),
    [],
  );
  const context = useMemo(
    () => (phase.kind === 'view' ? { api, view: phase.view, apply, fatal, chooseMethod } : null),
    [api, phase, apply, fatal, chooseMethod],
  );
  const screenKey =
    phase.kind === 'view'
      ? `${phase.view.step}-${phase.choosing || !phase.view.method ? 'methods' : `${phase.view.method.id}${renewal(phase.view)}`}`
      : phase.kind;
  return (
    <div className="app login" data-login-phase={phase.kind} data-screen={screenKey}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <Header locale={props.locale} onLocale={props.onLocale} />
      <main id="main">
        {phase.kind === 'loading' ? <LoadingScreen /> : null}
        {phase.kind === 'leaving' ? <LeavingScreen service={phase.service} /> : null}
        {phase.kind === 'fatal' ? <LoginErrorScreen error={phase.error} /> : null}
        {context && phase.kind === 'view' ? (
          <LoginContext.Provider value={context}>
            <CurrentScreen key={screenKey} view={phase.view} choosing={phase.choosing} />
          </LoginContext.Provider>
        ) : null}
      </main>
      <div className="retry-status" role="status" aria-live="polite">
        {retrying ? t('app.retrying') : ''}
      </div>
    </div>
  );
}

/** A renewed app request (a new QR) is a new screen: its countdown and polling start over. */
function renewal(view: LoginView): string {
  const qr = view.method?.view['qr'];
  return typeof qr === 'string' ? `-${qr.slice(-8)}` : '';
}

/** A login that is over (finished or cancelled) or a page that is no login: start again at the service. */
function overError(): ApiError {
  return new ApiError({ code: 'ERR_FLOW_STATE', messageId: 'error.flow.stepOutOfOrder', status: 409 });
}

export function LoginApp(props: { initialLocale: Locale; base: string | undefined }) {
  const [locale, setLocale] = useState<Locale>(props.initialLocale);
  const i18n = useMemo(() => createI18n(props.initialLocale), [props.initialLocale]);
  useEffect(() => {
    void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
    saveLocale(locale);
  }, [i18n, locale]);
  return (
    <I18nextProvider i18n={i18n}>
      <LoginFlow base={props.base} locale={locale} onLocale={setLocale} />
    </I18nextProvider>
  );
}
