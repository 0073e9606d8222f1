// An error shown on the form that caused it: what happened (the server's message ID, translated) and
// what to do next.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error.ts';
import { adviceFor } from '../api/error-advice.ts';
import { Actions, Busy, InlineError } from './page.tsx';

export function useErrorText(): (e: { code: string; messageId: string }) => string {
  const { t, i18n } = useTranslation();
  return (e) => (i18n.exists(e.messageId) ? t(e.messageId) : t('error.unknown'));
}

export function StepError(props: { error: ApiError | undefined; id?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!props.error) return null;
  return (
    <InlineError id={props.id ?? 'step-error'}>
      <p>{text(props.error)}</p>
      <p>{t(adviceFor(props.error.code).next)}</p>
      {props.children}
    </InlineError>
  );
}

/**
 * The props that tie a step's field to the step: typing clears the step's error, and while the error (shown
 * below the form as `step-error`) stands, the field is marked invalid and described by it.
 */
export function stepField(
  step: { inlineError: ApiError | undefined; clearError(): void },
  set: (value: string) => void,
): { onChange: (value: string) => void; invalid: boolean; describedBy: string | undefined } {
  return {
    onChange: (value) => {
      set(value);
      step.clearError();
    },
    invalid: step.inlineError !== undefined,
    describedBy: step.inlineError ? 'step-error' : undefined,
  };
}

/**
 * The end of a step's form: its inline error, the busy indicator, and the submit button (labelled Next
 * unless `label` says otherwise).
 */
export function StepFooter(props: {
  step: { busy: boolean; inlineError: ApiError | undefined };
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <StepError error={props.step.inlineError} />
      {props.step.busy ? <Busy label={t('app.working')} /> : null}
      <Actions>
        <button type="submit" className="primary" disabled={props.step.busy}>
          {props.label ?? t('app.next')}
        </button>
      </Actions>
    </>
  );
}
