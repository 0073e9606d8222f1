// What every login screen needs: the API, the login as the server last showed it, and how to move on.
import { createContext, useContext } from 'react';
import type { ApiError } from '../api/api-error.ts';
import type { LoginAnswer, LoginApi, LoginView } from './login-api.ts';

export interface LoginContextValue {
  readonly api: LoginApi;
  readonly view: LoginView;
  /** Applies a step's answer: a new view, or leaving for the service. */
  readonly apply: (answer: LoginAnswer) => void;
  /** A failure this page cannot recover from (the login must start again at the service). */
  readonly fatal: (error: ApiError) => void;
  /** Shows the method list again (another method), without telling the server. */
  readonly chooseMethod: () => void;
}

export const LoginContext = createContext<LoginContextValue | null>(null);

export function useLogin(): LoginContextValue {
  const value = useContext(LoginContext);
  if (!value) throw new TypeError('useLogin outside LoginContext');
  return value;
}
