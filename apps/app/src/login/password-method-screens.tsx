// The methods with a password (DESIGN §1 D): code display / code reader (the one-time code + the password)
// and chip (the password + a WebAuthn assertion of the security key). A failed try ends the method on the
// server, so the next try starts it again (a fresh challenge for the key).
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../ui/fields.tsx';
import { Page } from '../ui/page.tsx';
import type { LoginAnswer } from './login-api.ts';
import { useLogin } from './login-context.ts';
import { CancelLogin, LoginError, SubmitRow } from './login-screens.tsx';
import { useLoginStep } from './login-step.ts';
import { securityKeyAssertion } from './security-key.ts';

export type PasswordMethod = 'code-display' | 'code-reader' | 'chip';

const TITLE: Record<PasswordMethod, string> = {
  'code-display': 'login.code.title.codeDisplay',
  'code-reader': 'login.code.title.codeReader',
  chip: 'login.chip.title',
};
const BODY: Record<PasswordMethod, string> = {
  'code-display': 'login.code.codeDisplay',
  'code-reader': 'login.code.codeReader',
  chip: 'login.chip.body',
};

export function PasswordMethodScreen(props: { kind: PasswordMethod }) {
  const { t } = useTranslation();
  const { api, view, chooseMethod } = useLogin();
  const step = useLoginStep();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ code?: boolean; password?: boolean }>({});
  const [touching, setTouching] = useState(false);
  // The method as the server started it; after a failed try it has to be started again.
  const started = useRef<Readonly<Record<string, unknown>> | null>(view.method?.view ?? null);
  const withCode = props.kind !== 'chip';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = { code: withCode && code.trim() === '', password: password === '' };
    setMissing(m);
    if (m.code || m.password) return;
    const ok = await step.run(async (): Promise<LoginAnswer> => {
      if (!started.current) {
        const again = await api.start(props.kind);
        if (again.kind === 'finished') return again;
        started.current = again.view.method?.view ?? {};
      }
      let input: Record<string, unknown>;
      if (props.kind === 'chip') {
        setTouching(true);
        try {
          input = { password, credential: await securityKeyAssertion(started.current['webauthn']) };
        } finally {
          setTouching(false);
        }
      } else input = { code: code.replace(/\s/g, ''), password };
      try {
        return await api.step(input);
      } catch (err) {
        // The server ended this try (wrong code or password): the next one starts the method again.
        started.current = null;
        throw err;
      }
    });
    if (!ok) {
      setPassword('');
      setCode('');
    }
  };

  const describedBy = step.error ? 'login-error' : undefined;
  return (
    <Page title={t(TITLE[props.kind])}>
      <p>{t(BODY[props.kind])}</p>
      <form onSubmit={submit} noValidate data-method={props.kind}>
        {withCode ? (
          <TextField
            id="login-code"
            data-testid="login-code"
            label={t('login.code.label')}
            error={missing.code ? t('login.code.required') : undefined}
            invalid={step.error !== undefined}
            describedBy={describedBy}
            value={code}
            onChange={(v) => {
              setCode(v);
              setMissing((m) => ({ ...m, code: false }));
              step.setError(undefined);
            }}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
          />
        ) : null}
        <TextField
          id="login-password"
          data-testid="login-password"
          type="password"
          label={t('login.password.label')}
          error={missing.password ? t('login.password.required') : undefined}
          invalid={step.error !== undefined}
          describedBy={describedBy}
          value={password}
          onChange={(v) => {
            setPassword(v);
            setMissing((m) => ({ ...m, password: false }));
            step.setError(undefined);
          }}
          autoComplete="current-password"
          maxLength={256}
        />
        <LoginError error={step.error} />
        <SubmitRow
          step={step}
          label={props.kind === 'chip' ? t('login.chip.use') : t('login.continue')}
          busyLabel={touching ? t('login.chip.touch') : undefined}
        />
      </form>
      <p>
        <button type="button" className="link-button" onClick={chooseMethod} disabled={step.busy}>
          {t('login.otherMethod')}
        </button>
      </p>
      <CancelLogin disabled={step.busy} />
    </Page>
  );
}
