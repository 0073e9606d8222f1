// The app shell: header (name, language switch, menu), the current screen of journeys A and C, and a status
// line while a request is retried. Camera screens are loaded on demand (React.lazy).
import { lazy, Suspense, useEffect, useMemo, useReducer, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { enrollmentApi } from './api/enrollment-api.ts';
import { tokenApi } from './api/token-api.ts';
import { InstanceProvider } from './device/instance-context.tsx';
import { createI18n, isLocale, LOCALE_NAMES, LOCALES, type Locale, saveLocale } from './i18n.ts';
import { type AppConfig, JourneyContext, useJourney } from './journey/journey-context.tsx';
import { canGoBack, initialJourney, journeyReducer, PART_OF, type Screen } from './journey/journey-state.ts';
import {
  AppHomeScreen,
  ApproveDoneScreen,
  ApproveMatchScreen,
  ApproveReviewScreen,
} from './screens/approve-screens.tsx';
import {
  ChipKeyLookAwayScreen,
  ChipKeyPasswordScreen,
  ChipKeyRegisteredScreen,
  ChipKeyTouchScreen,
} from './screens/chip-key-screens.tsx';
import { ChipScreen } from './screens/chip-screen.tsx';
import {
  CopyActivatedScreen,
  CopyBiometricsScreen,
  CopyNotificationsScreen,
  CopyPinIntroScreen,
  CopyPinScreen,
} from './screens/copy-pin-screens.tsx';
import {
  CopyIntroScreen,
  CopyLookAwayScreen,
  CopyProximityScreen,
  CopyScanScreen,
  CopyTempPinScreen,
  CopyUserIdScreen,
} from './screens/copy-screens.tsx';
import {
  CountryScreen,
  DocTypeScreen,
  PrivacyScreen,
  ReferenceEntryScreen,
  ReferenceScreen,
  StepDoneScreen,
  TermsScreen,
  VerifyScreen,
} from './screens/document-screens.tsx';
import { ErrorScreen } from './screens/error-screen.tsx';
import { MrzManualScreen } from './screens/mrz-manual-screen.tsx';
import {
  AuthenticatorScreen,
  DeviceScreen,
  DoneScreen,
  LookAwayScreen,
  PhoneScreen,
  SmsScreen,
  UserIdScreen,
} from './screens/person-screens.tsx';
import { ActivateScreen, HomeScreen, IntroScreen, MenuScreen } from './screens/start-screens.tsx';
import { OrderedScreen, OrderScreen } from './screens/token-order-screens.tsx';
import {
  ActivatedScreen,
  HaveDeviceScreen,
  OtpScreen,
  PasswordScreen,
  SerialScreen,
  TokenLookAwayScreen,
} from './screens/token-screens.tsx';
import {
  TransferDoneScreen,
  TransferPinScreen,
  TransferScanScreen,
  TransferShowScreen,
} from './screens/transfer-show-screens.tsx';
import { ErrorBoundary } from './ui/error-boundary.tsx';
import { Busy } from './ui/page.tsx';

const MrzScanScreen = lazy(() => import('./screens/mrz-scan-screen.tsx'));
const FaceScreen = lazy(() => import('./screens/face-screen.tsx'));
const MakePassportScreen = lazy(() => import('./screens/make-passport-screen.tsx'));

function CurrentScreen(props: { screen: Screen }) {
  switch (props.screen) {
    case 'home':
      return <AppHomeScreen fallback={<HomeScreen />} />;
    case 'menu':
      return <MenuScreen />;
    case 'activate':
      return <ActivateScreen />;
    case 'intro':
      return <IntroScreen />;
    case 'docType':
      return <DocTypeScreen />;
    case 'terms':
      return <TermsScreen />;
    case 'privacy':
      return <PrivacyScreen />;
    case 'stepDone':
      return <StepDoneScreen />;
    case 'country':
      return <CountryScreen />;
    case 'reference':
      return <ReferenceScreen />;
    case 'cpr':
      return <ReferenceEntryScreen kind="cpr" />;
    case 'pcode':
      return <ReferenceEntryScreen kind="pcode" />;
    case 'verify':
      return <VerifyScreen />;
    case 'mrzScan':
      return <MrzScanScreen />;
    case 'mrzManual':
      return <MrzManualScreen />;
    case 'chip':
      return <ChipScreen />;
    case 'makePassport':
      return <MakePassportScreen />;
    case 'face':
      return <FaceScreen />;
    case 'lookAway':
      return <LookAwayScreen />;
    case 'userId':
      return <UserIdScreen />;
    case 'phone':
      return <PhoneScreen />;
    case 'sms':
      return <SmsScreen />;
    case 'authenticator':
      return <AuthenticatorScreen />;
    case 'device':
      return <DeviceScreen />;
    case 'done':
      return <DoneScreen />;
    case 'haveDevice':
      return <HaveDeviceScreen />;
    case 'order':
      return <OrderScreen />;
    case 'ordered':
      return <OrderedScreen />;
    case 'tokenLookAway':
      return <TokenLookAwayScreen />;
    case 'password':
      return <PasswordScreen />;
    case 'serial':
      return <SerialScreen />;
    case 'otp':
      return <OtpScreen />;
    case 'activated':
      return <ActivatedScreen />;
    case 'error':
      return <ErrorScreen />;
    // Journeys B and D (the app authenticator)
    case 'transferPin':
      return <TransferPinScreen />;
    case 'transferShow':
      return <TransferShowScreen />;
    case 'transferScan':
      return <TransferScanScreen />;
    case 'transferDone':
      return <TransferDoneScreen />;
    case 'copyIntro':
      return <CopyIntroScreen />;
    case 'copyScan':
      return <CopyScanScreen />;
    case 'copyProximity':
      return <CopyProximityScreen />;
    case 'copyLookAway':
      return <CopyLookAwayScreen />;
    case 'copyUserId':
      return <CopyUserIdScreen />;
    case 'copyTempPin':
      return <CopyTempPinScreen />;
    case 'copyPinIntro':
      return <CopyPinIntroScreen />;
    case 'copyPin':
      return <CopyPinScreen />;
    case 'copyBiometrics':
      return <CopyBiometricsScreen />;
    case 'copyNotifications':
      return <CopyNotificationsScreen />;
    case 'copyActivated':
      return <CopyActivatedScreen />;
    case 'approveMatch':
      return <ApproveMatchScreen />;
    case 'approveReview':
      return <ApproveReviewScreen />;
    case 'approveDone':
      return <ApproveDoneScreen />;
    // Journey C: the chip
    case 'chipKeyLookAway':
      return <ChipKeyLookAwayScreen />;
    case 'chipKeyPassword':
      return <ChipKeyPasswordScreen />;
    case 'chipKeyTouch':
      return <ChipKeyTouchScreen />;
    case 'chipKeyRegistered':
      return <ChipKeyRegisteredScreen />;
  }
}

function Header(props: { locale: Locale; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  return (
    <header className="top">
      <div className="top-row">
        {canGoBack(state) ? (
          <button type="button" className="icon-button" onClick={() => dispatch({ type: 'back' })}>
            <span aria-hidden="true">‹ </span>
            {t('app.back')}
          </button>
        ) : (
          <span className="brand">{t('app.name')}</span>
        )}
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
          <button
            type="button"
            className="icon-button"
            aria-current={state.screen === 'menu' ? 'page' : undefined}
            onClick={() => dispatch({ type: 'go', screen: 'menu' })}
          >
            <span aria-hidden="true">☰ </span>
            {t('app.menu')}
          </button>
        </div>
      </div>
    </header>
  );
}

function Shell(props: { locale: Locale; onLocale: (l: Locale) => void; retrying: boolean }) {
  const { t } = useTranslation();
  const { state } = useJourney();
  return (
    <div className="app" data-screen={state.screen}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <Header locale={props.locale} onLocale={props.onLocale} />
      <main id="main" data-part={PART_OF[state.screen] ?? 0}>
        <ErrorBoundary key={`${state.screen}-${state.history.length}`}>
          <Suspense fallback={<Busy label={t('app.working')} />}>
            <CurrentScreen screen={state.screen} />
          </Suspense>
        </ErrorBoundary>
      </main>
      <div className="retry-status" role="status" aria-live="polite">
        {props.retrying ? t('app.retrying') : ''}
      </div>
    </div>
  );
}

export function App(props: { initialLocale: Locale; config: AppConfig }) {
  const [locale, setLocale] = useState<Locale>(props.initialLocale);
  const i18n = useMemo(() => createI18n(props.initialLocale), [props.initialLocale]);
  const [state, dispatch] = useReducer(journeyReducer, initialJourney);
  const [retrying, setRetrying] = useState(false);
  const [api, tokens] = useMemo(() => {
    const onRetry = () => {
      setRetrying(true);
      setTimeout(() => setRetrying(false), 4000);
    };
    return [enrollmentApi({ onRetry }), tokenApi({ onRetry })] as const;
  }, []);
  useEffect(() => {
    void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
    saveLocale(locale);
  }, [i18n, locale]);
  const context = useMemo(
    () => ({ state, dispatch, api, tokens, locale, config: props.config }),
    [state, api, tokens, locale, props.config],
  );
  return (
    <I18nextProvider i18n={i18n}>
      <JourneyContext.Provider value={context}>
        <InstanceProvider>
          <Shell locale={locale} onLocale={setLocale} retrying={retrying} />
        </InstanceProvider>
      </JourneyContext.Provider>
    </I18nextProvider>
  );
}
