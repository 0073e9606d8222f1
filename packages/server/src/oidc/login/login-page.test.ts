// The server-rendered fallback login page: stable test ids at every step, the app method's QR as an image,
// and everything from the view escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import QRCode from 'qrcode';
import { type LoginView, qrDataUrl, renderLoginPage } from './login-page.ts';

const base: LoginView = {
  loginId: 'login-1',
  step: 'user-id',
  service: { clientId: 'shop', name: 'Shop <&> "Co"' },
  scopes: ['openid', 'profile'],
  methods: [
    { id: 'app', messageId: 'login.method.app' },
    { id: 'code-display', messageId: 'login.method.codeDisplay' },
    { id: 'chip', messageId: 'login.method.chip' },
  ],
  lastMethod: 'chip',
  method: null,
};
const action = '/login/abcdefghijkl';

describe('renderLoginPage', () => {
  it('has the user-ID input and the submit button, and escapes the service name', () => {
    const html = renderLoginPage(base, { action });
    assert.match(html, /<input id="userId" name="userId" data-testid="login-user-id"/);
    assert.match(html, /data-testid="login-submit"/);
    assert.match(html, /data-testid="login-cancel"/);
    assert.match(html, /Shop &#60;&#38;&#62; &#34;Co&#34;/);
    assert.doesNotMatch(html, /Shop <&>/);
  });

  it('lists the methods with the last used first', () => {
    const html = renderLoginPage({ ...base, step: 'method' }, { action });
    const ids = [...html.matchAll(/data-testid="login-method-([a-z-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids, ['chip', 'app', 'code-display']);
  });

  it('shows the app method as the 2-digit number and the QR code', () => {
    const qr = 'tillid:login:v1:login-1.secret';
    const html = renderLoginPage(
      {
        ...base,
        step: 'method',
        method: { id: 'app', view: { status: 'waiting', qr, number: '07', expiresAt: 1 } },
      },
      { action },
    );
    assert.match(html, /<p class="number" data-testid="login-number">07<\/p>/);
    const src = html.match(/<img data-testid="login-qr" src="([^"]+)"/)?.[1];
    assert.equal(src, qrDataUrl(qr));
    assert.match(html, /name="poll" value="true"/);
  });

  it('renders the QR modules as an SVG with a quiet zone', () => {
    const payload = 'tillid:login:v1:x.y';
    const url = qrDataUrl(payload);
    assert.ok(url.startsWith('data:image/svg+xml;base64,'));
    const svg = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8');
    const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    assert.match(svg, new RegExp(`viewBox="0 0 ${modules.size + 8} ${modules.size + 8}"`));
    let dark = 0;
    for (let i = 0; i < modules.size * modules.size; i++) dark += modules.data[i] ? 1 : 0;
    assert.equal(svg.match(/h1v1h-1z/g)?.length, dark);
  });

  it('asks code methods for the code and the password, and the chip for the password', () => {
    const code = renderLoginPage(
      { ...base, step: 'method', method: { id: 'code-display', view: { fields: ['code', 'password'] } } },
      { action },
    );
    assert.match(code, /data-testid="login-code"/);
    assert.match(code, /type="password" data-testid="login-password"/);
    const chip = renderLoginPage(
      { ...base, step: 'method', method: { id: 'chip', view: { fields: ['password', 'credential'] } } },
      { action },
    );
    assert.doesNotMatch(chip, /data-testid="login-code"/);
    assert.match(chip, /data-testid="login-password"/);
  });

  it('shows an error by its message id, escaped', () => {
    const html = renderLoginPage(base, { action, error: '<b>x' });
    assert.match(html, /role="alert" class="error" data-message-id="&#60;b&#62;x"/);
  });
});
