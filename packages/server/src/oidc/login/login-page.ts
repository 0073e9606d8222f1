// A minimal server-rendered login page over the JSON login API, so the flow works in any browser without
// JavaScript; apps/app renders the same `LoginView` with translations and the app/QR experience.
import QRCode from 'qrcode';
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
  'login.method.app': 'Tillid app',
  'login.method.codeDisplay': 'Code display',
  'login.method.codeReader': 'Code reader',
  'login.method.chip': 'Chip (security key)',
  'login.app.notApproved': 'The login was not approved in the app.',
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

/** The app method's QR as an SVG data: URL, built synchronously from the QR modules (no canvas on a server). */
export function qrDataUrl(payload: string): string {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + 2 * quiet;
  let path = '';
  for (let y = 0; y < modules.size; y++)
    for (let x = 0; x < modules.size; x++)
      if (modules.get(y, x)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function methodSteps(method: NonNullable<LoginView['method']>, action: string): string {
  const view = method.view;
  if (method.id === 'app') {
    const qr = typeof view['qr'] === 'string' ? view['qr'] : '';
    const number =
      typeof view['number'] === 'string' || typeof view['number'] === 'number' ? view['number'] : '';
    return `<p>Open Tillid on your phone and choose the number you see here, or scan the QR code.</p>
<p class="number" data-testid="login-number">${esc(String(number))}</p>
${qr ? `<img data-testid="login-qr" src="${qrDataUrl(qr)}" alt="QR code for the Tillid app" width="200" height="200">` : ''}
<form method="post" action="${esc(action)}/step"><input type="hidden" name="poll" value="true">
<button type="submit" data-testid="login-submit">I have approved in the app</button></form>`;
  }
  const fields = Array.isArray(view['fields']) ? view['fields'] : [];
  const code = fields.includes('code')
    ? `<label for="code">One-time code</label>
<input id="code" name="code" data-testid="login-code" inputmode="numeric" autocomplete="one-time-code" required maxlength="12">`
    : '';
  const password = fields.includes('password')
    ? `<label for="password">Password</label>
<input id="password" name="password" type="password" data-testid="login-password" autocomplete="current-password" required maxlength="200">`
    : '';
  const chip = fields.includes('credential')
    ? '<p>A security key needs JavaScript: open this page in a browser with JavaScript turned on.</p>'
    : '';
  return `<form method="post" action="${esc(action)}/step" data-method="${esc(method.id)}">
${code}${password}${chip}<button type="submit" data-testid="login-submit">Continue</button></form>`;
}

/** A login this browser cannot continue (finished, expired, another browser's): start again at the service. */
export function renderLoginErrorPage(messageId: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in with Tillid</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}</style>
</head><body><main><h1>The login cannot continue</h1>
<p role="alert" data-message-id="${esc(messageId)}">${text(messageId)}</p>
<p>Go back to the service and start the login again.</p></main></body></html>`;
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
<input id="userId" name="userId" data-testid="login-user-id" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="48" autofocus>
<button type="submit" data-testid="login-submit">Continue</button></form>`;
  } else if (view.method === null) {
    const ordered = [...view.methods].sort(
      (a, b) => Number(b.id === view.lastMethod) - Number(a.id === view.lastMethod),
    );
    body = ordered
      .map(
        (m) => `<form method="post" action="${esc(options.action)}/method">
<input type="hidden" name="method" value="${esc(m.id)}"><button type="submit" data-testid="login-method-${esc(m.id)}">${text(m.messageId)}</button></form>`,
      )
      .join('\n');
  } else {
    body = methodSteps(view.method, options.action);
  }
  const dev = view.methods.some((m) => m.id === 'dev-test-identity')
    ? '<p class="dev"><strong>Development mode:</strong> the test identity login is not available in production.</p>'
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in with Tillid</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}form{margin:.5rem 0}
input,button{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}.error{color:#b00020}.dev{background:#fff3cd;padding:.5rem}.number{font-size:2.5rem;font-weight:700;text-align:center}img{display:block;margin:0 auto}</style>
</head><body><main data-login-id="${esc(view.loginId)}" data-step="${esc(view.step)}">
<h1>Log in to ${esc(view.service.name)}</h1>
<p>${esc(view.service.name)} will receive:</p><ul>${shares}</ul>
${dev}${error}${body}
<form method="post" action="${esc(options.action)}/abort"><button type="submit" data-testid="login-cancel">Cancel</button></form>
</main></body></html>`;
}
