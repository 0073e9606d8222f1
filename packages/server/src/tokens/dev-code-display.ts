// Development only: a "virtual code display" page showing the current code of a test serial, and for
// a code reader a button that speaks it (browser speechSynthesis). Never registered in production.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../store/store.ts';
import { normaliseSerial } from './import-tokens.ts';
import { tokenNotFound, totpParams } from './token-code.ts';
import { codeNow } from './totp.ts';

export interface DevCodeDisplayDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly now: () => number;
}

const query = z.object({ serial: z.string().min(1).max(80) });

function html(serial: string): string {
  const esc = serial.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // The serial goes into the script as JSON with '<' escaped, so it cannot close the script element.
  const js = JSON.stringify(serial).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Virtual code display ${esc}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;background:#eef}
.device{background:#223;color:#cfe;border-radius:24px;padding:32px 48px;text-align:center;box-shadow:0 8px 24px #0004}
#code{font:bold 48px/1.2 ui-monospace,monospace;letter-spacing:.2em}small{color:#9ab}button{font-size:18px;margin-top:16px}</style>
</head><body><main class="device"><p>Development only: virtual <span id="model">code display</span></p>
<p><small>Serial ${esc}</small></p><p id="code" aria-live="polite">······</p><p><small id="left"></small></p>
<p id="speak" hidden><label>Language <select id="lang"><option value="da-DK">dansk</option><option value="en-GB">English</option>
<option value="kl-GL">kalaallisut</option></select></label><br><button id="say">Speak the code</button></p></main>
<script>
const serial = ${js};
let current = '';
async function refresh() {
  const r = await fetch('/dev/code-display/code?serial=' + encodeURIComponent(serial));
  const body = await r.json();
  if (!r.ok) { document.getElementById('code').textContent = body.error.code; return; }
  current = body.code;
  document.getElementById('code').textContent = body.code;
  document.getElementById('left').textContent = Math.ceil(body.validForMs / 1000) + ' s left';
  if (body.model === 'reader') {
    document.getElementById('model').textContent = 'code reader';
    document.getElementById('speak').hidden = false;
  }
}
document.getElementById('say').addEventListener('click', () => {
  // Digit by digit, as a code reader reads it.
  const u = new SpeechSynthesisUtterance(current.split('').join(' '));
  u.lang = document.getElementById('lang').value;
  u.rate = 0.8;
  speechSynthesis.cancel();
  speechSynthesis.speak(u);
});
refresh();
setInterval(refresh, 1000);
</script></body></html>`;
}

export function registerDevCodeDisplay(app: FastifyInstance, deps: DevCodeDisplayDeps): void {
  app.get('/dev/code-display', { schema: { hide: true, querystring: query } }, async (request, reply) => {
    const { serial } = request.query as z.infer<typeof query>;
    reply.type('text/html; charset=utf-8');
    reply.header('cache-control', 'no-store');
    return html(normaliseSerial(serial));
  });
  app.get(
    '/dev/code-display/code',
    { schema: { hide: true, querystring: query } },
    async (request, reply) => {
      const serial = normaliseSerial((request.query as z.infer<typeof query>).serial);
      const token = await deps.store.tokens.get(serial);
      if (!token) throw tokenNotFound();
      reply.header('cache-control', 'no-store');
      const { code, validForMs } = codeNow(totpParams(deps.secretBox, token), deps.now());
      return { serial, model: token.model, code, validForMs };
    },
  );
}
