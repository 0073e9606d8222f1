// The error screen: what happened (the server's message ID, translated), what to do next, the error code
// for support, and one button that leads where the advice says.
import { useTranslation } from 'react-i18next';
import { adviceFor } from '../api/error-advice.ts';
import { useJourney } from '../journey/journey-context.tsx';
import { Actions, Page } from '../ui/page.tsx';
import { useErrorText } from '../ui/step-error.tsx';

export function ErrorScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const text = useErrorText();
  const failure = state.failure;
  const error = failure?.error ?? { code: 'ERR_APP', messageId: 'error.unknown', status: 0 };
  const advice = adviceFor(error.code);
  const restart = advice.recovery === 'restart';
  const onAction = () => {
    if (restart) dispatch({ type: 'restart' });
    else
      dispatch({
        type: 'recover',
        to: advice.recovery === 'same' ? (failure?.on ?? 'home') : advice.recovery,
      });
  };
  return (
    <Page title={t('error.title')}>
      <div className="error-box" data-error-code={error.code}>
        <p className="error-message">{text(error)}</p>
        <p>{t(advice.next)}</p>
        <p className="hint">{t('error.code', { code: error.code })}</p>
      </div>
      <Actions>
        <button type="button" className="primary" onClick={onAction}>
          {restart ? t('error.startOver') : advice.recovery === 'same' ? t('error.retry') : t('error.goBack')}
        </button>
        {restart ? null : (
          <button type="button" className="secondary" onClick={() => dispatch({ type: 'restart' })}>
            {t('error.startOver')}
          </button>
        )}
      </Actions>
    </Page>
  );
}
