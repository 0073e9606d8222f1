// What every screen needs: the journey state and its dispatch, the API, the locale, whether the server
// runs in development mode, and `useStep` to take a flow step with busy state and error handling.
import { createContext, type Dispatch, useCallback, useContext, useState } from 'react';
import { type ApiError, toApiError } from '../api/api-error.ts';
import type { EnrollmentApi, StepAnswer } from '../api/enrollment-api.ts';
import { adviceFor } from '../api/error-advice.ts';
import type { TokenApi } from '../api/token-api.ts';
import type { Locale } from '../i18n.ts';
import type { JourneyAction, JourneyState } from './journey-state.ts';

export interface AppConfig {
  readonly development: boolean;
}

export interface JourneyContextValue {
  readonly state: JourneyState;
  readonly dispatch: Dispatch<JourneyAction>;
  readonly api: EnrollmentApi;
  /** Journey C: code display / code reader activation and orders. */
  readonly tokens: TokenApi;
  readonly locale: Locale;
  readonly config: AppConfig;
}

export const JourneyContext = createContext<JourneyContextValue | null>(null);

export function useJourney(): JourneyContextValue {
  const value = useContext(JourneyContext);
  if (!value) throw new TypeError('useJourney outside JourneyContext');
  return value;
}

export interface StepRunner {
  readonly busy: boolean;
  /** An error to show on this screen's form (advice `inline`), else undefined. */
  readonly inlineError: ApiError | undefined;
  readonly clearError: () => void;
  /** Fires one event of the flow; resolves with the answer, or undefined after handling the failure. */
  run<O = Record<string, unknown>>(event: string, body: unknown): Promise<StepAnswer<O> | undefined>;
  /** Any async work (terms, chip reading) with the same busy and error handling. */
  guard<T>(work: () => Promise<T>): Promise<T | undefined>;
}

/**
 * Busy and error handling for a screen's requests: errors whose advice is `inline`, or whose code is in
 * `inlineCodes` (codes a screen answers itself, e.g. a wrong PIN), stay on the form; others go to the error screen.
 */
export function useStep(inlineCodes: readonly string[] = []): StepRunner {
  const { state, dispatch, api } = useJourney();
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

  const run = useCallback(
    <O,>(event: string, body: unknown) =>
      guard(async () => {
        if (!state.flowId) throw toApiError(new TypeError('no flow'));
        return api.step<O>(state.flowId, event, body);
      }),
    [api, guard, state.flowId],
  );

  return { busy, inlineError, clearError: () => setInlineError(undefined), run, guard };
}
