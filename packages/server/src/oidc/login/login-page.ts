// A minimal server-rendered login page over the JSON login API, so the flow works in any browser without
// JavaScript; apps/app renders the same `LoginView` with translations and the app/QR experience.
import type { JsonValue } from './login-method.ts';

export interface LoginView {
  readonly loginId: string;
  readonly step: 'user-id' | 'method' | 'finished';
  readonly service: { readonly clientId: string; readonly name: string };
  readonly scopes: readonly string[];
  readonly methods: ReadonlyArray<{ readonly id: string; readonly messageId: string }>;
  /** The method this browser used last time (remembered in a cookie, never on the server). */
  readonly lastMethod: string | undefined;
  readonly method: { readonly id: string; readonly view: { readonly [key: string]: JsonValue } } | null;
}

/** English fallbacks for the message ids the page may show; apps/app translates them (da/en/kl). */
const TEXT: Readonly<Record<string, string>> = {
  'login.failed': 'The login failed. Check what you entered and try again, or choose another method.',
  'login.userId.invalid': 'This is not a valid user-ID.',
  'login.userId.tooManyAttempts': 'Too many attempts from your network. Wait a minute and try again.',
  'login.otherBrowser': 'This login was started in another browser. Start again from the service.',
  'login.method.devTestIdentity': 'Test identity (development only)',
  'scope.openid': 'that you are logged in (an identifier for you)',
  'scope.profile': 'your name and date of birth',
  'scope.ssn': 'your CPR number',
};

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function text(id: string): string {
  return esc(TEXT[id] ?? id);
}

export function renderLoginPage(
  view: LoginView,
  options: { action: string; error?: string | undefined },
): string {
  const error = options.error
    ? `<p role="alert" class="error" data-message-id="${esc(options.error)}">${text(options.error)}</p>`
    : '';
  const shares = view.scopes.map((s) => `<li>${text(`scope.${s}`)}</li>`).join('');
  let body: string;
  if (view.step === 'user-id') {
    body = `<form method="post" action="${esc(options.action)}/user-id">
<label for="userId">User-ID</label>
<input id="userId" name="userId" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="48" autofocus>
<button type="submit">Continue</button></form>`;
  } else if (view.method === null) {
    const ordered = [...view.methods].sort(
      (a, b) => Number(b.id === view.lastMethod) - Number(a.id === view.lastMethod),
    );
    body = ordered
      .map(
        (m) => `<form method="post" action="${esc(options.action)}/method">
<input type="hidden" name="method" value="${esc(m.id)}"><button type="submit">${text(m.messageId)}</button></form>`,
      )
      .join('\n');
  } else {
    body = `<pre data-method="${esc(view.method.id)}">${esc(JSON.stringify(view.method.view, null, 2))}</pre>
<form method="post" action="${esc(options.action)}/step"><input name="code" autocomplete="one-time-code">
<button type="submit">Continue</button></form>`;
  }
  const dev = view.methods.some((m) => m.id === 'dev-test-identity')
    ? '<p class="dev"><strong>Development mode:</strong> the test identity login is not available in production.</p>'
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in with Tillid</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}form{margin:.5rem 0}
input,button{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}.error{color:#b00020}.dev{background:#fff3cd;padding:.5rem}</style>
</head><body><main data-login-id="${esc(view.loginId)}" data-step="${esc(view.step)}">
<h1>Log in to ${esc(view.service.name)}</h1>
<p>${esc(view.service.name)} will receive:</p><ul>${shares}</ul>
${dev}${error}${body}
<form method="post" action="${esc(options.action)}/abort"><button type="submit">Cancel</button></form>
</main></body></html>`;
}
