// Seed steps 1-4: the app's start, the menu, Activate → Help another person activate → Get started.
import { useTranslation } from 'react-i18next';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { CopyActivateItem } from './copy-screens.tsx';
import { TransferMenuItem } from './transfer-show-screens.tsx';

export function HomeScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('home.title')}>
      <p>{t('home.body')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'go', screen: 'menu' })}>
          {t('home.openMenu')}
        </button>
      </Actions>
    </Page>
  );
}

export function MenuScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('menu.title')}>
      <nav aria-label={t('menu.title')}>
        <ul className="menu-list">
          <li>
            <button
              type="button"
              className="menu-item"
              onClick={() => dispatch({ type: 'go', screen: 'activate' })}
            >
              <span className="menu-label">{t('menu.activate')}</span>
              <span className="hint">{t('menu.activateHint')}</span>
            </button>
          </li>
          <TransferMenuItem />
        </ul>
      </nav>
    </Page>
  );
}

export function ActivateScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  return (
    <Page title={t('activate.title')}>
      <ul className="menu-list">
        <li>
          <button
            type="button"
            className="menu-item"
            onClick={() => dispatch({ type: 'go', screen: 'intro' })}
          >
            <span className="menu-label">{t('activate.helpOther')}</span>
            <span className="hint">{t('activate.helpOtherHint')}</span>
          </button>
        </li>
        <CopyActivateItem />
      </ul>
    </Page>
  );
}

export function IntroScreen() {
  const { t } = useTranslation();
  const { dispatch, api, locale } = useJourney();
  const { busy, guard } = useStep();
  const start = async () => {
    const flow = await guard(() => api.start(locale));
    if (flow) dispatch({ type: 'go', screen: 'docType', data: { flowId: flow.id } });
  };
  return (
    <Page title={t('intro.title')}>
      <p>{t('intro.body')}</p>
      <p>{t('intro.need')}</p>
      <ul>
        <li>{t('intro.needDocument')}</li>
        <li>{t('intro.needReference')}</li>
        <li>{t('intro.needPhone')}</li>
      </ul>
      {busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        <button type="button" className="primary" onClick={start} disabled={busy}>
          {t('intro.start')}
        </button>
      </Actions>
    </Page>
  );
}
