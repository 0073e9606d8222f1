// useStep's busy and error handling for the app authenticator screens (journeys B and D), where a few codes
// mean something else than in journey A: `inlineCodes` are shown on this form whatever the shared advice says.
import { useCallback, useState } from 'react';
import { type ApiError, toApiError } from '../api/api-error.ts';
import { adviceFor } from '../api/error-advice.ts';
import { useJourney } from '../journey/journey-context.tsx';

export interface AppStep {
  readonly busy: boolean;
  readonly inlineError: ApiError | undefined;
  clearError(): void;
  guard<T>(work: () => Promise<T>): Promise<T | undefined>;
}

export function useAppStep(inlineCodes: readonly string[] = []): AppStep {
  const { dispatch } = useJourney();
  const [busy, setBusy] = useState(false);
  const [inlineError, setInlineError] = useState<ApiError | undefined>(undefined);
  const codes = inlineCodes.join(' ');
  const guard = useCallback(
    async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setInlineError(undefined);
      try {
        return await work();
      } catch (e) {
        const error = toApiError(e);
        if (adviceFor(error.code).inline || codes.split(' ').includes(error.code)) setInlineError(error);
        else
          dispatch({
            type: 'fail',
            error: {
              code: error.code,
              messageId: error.messageId,
              status: error.status,
              ...(error.details ? { details: error.details } : {}),
              ...(error.requestId ? { requestId: error.requestId } : {}),
            },
          });
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [dispatch, codes],
  );
  return { busy, inlineError, clearError: () => setInlineError(undefined), guard };
}
