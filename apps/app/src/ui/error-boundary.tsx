// The last line of defence: a screen that throws while rendering, or a lazily loaded part that fails to
// arrive (a network drop, a server restarting mid-deploy), shows a page that says what to do, not a blank one.
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Actions, Page } from './page.tsx';

function CrashedPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('app.crashed')}>
      <p role="alert">{t('app.crashedBody')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => location.reload()}>
          {t('app.reload')}
        </button>
      </Actions>
    </Page>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? <CrashedPage /> : this.props.children;
  }
}
