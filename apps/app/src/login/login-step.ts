// A login step with busy state and errors: the answer is applied, an error the page can recover from is
// shown on the form, and one it cannot (another browser's or an expired login) ends on the error screen.
import { useCallback, useState } from 'react';
import { type ApiError, toApiError } from '../api/api-error.ts';
import type { LoginAnswer } from './login-api.ts';
import { useLogin } from './login-context.ts';
import { isFatal } from './login-errors.ts';

export interface LoginStep {
  readonly busy: boolean;
  readonly error: ApiError | undefined;
  readonly setError: (e: ApiError | undefined) => void;
  /** Runs the work; resolves true when it answered (and the answer was applied). */
  run(work: () => Promise<LoginAnswer>): Promise<boolean>;
}

export function useLoginStep(): LoginStep {
  const { apply, fatal } = useLogin();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = useCallback(
    async (work: () => Promise<LoginAnswer>) => {
      setBusy(true);
      setError(undefined);
      try {
        apply(await work());
        return true;
      } catch (e) {
        const err = toApiError(e);
        if (isFatal(err)) fatal(err);
        else setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [apply, fatal],
  );
  return { busy, error, setError, run };
}
