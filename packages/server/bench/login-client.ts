// The benchmark's HTTP client: a browser (cookie jar, manual redirects) and the phone's requests over one
// keep-alive node:http agent. fetch costs the client process about as much CPU per request as the server
// spends answering, and clients and server share this machine's cores.
import { Agent, request } from 'node:http';
import { SIGNED } from '../src/app-authenticator/device-key.ts';
import { bodySha256, HEADERS } from '../src/app-authenticator/signed-request.ts';
import type { TestPhone } from '../src/app-authenticator/testing/test-app.ts';

export interface BenchAnswer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: Record<string, unknown>;
}

export function benchAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 256 });
}

function send(
  agent: Agent,
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<BenchAnswer & { setCookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: init.method,
        headers:
          init.body === undefined
            ? init.headers
            : { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = (res.headers['content-type'] ?? '').includes('json') && text.length > 0;
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            body: json ? (JSON.parse(text) as Record<string, unknown>) : {},
            setCookies: res.headers['set-cookie'] ?? [],
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A browser: cookies by name (the server reads only the ones it wants), no redirects followed. */
export class BenchBrowser {
  readonly #jar: Map<string, string>;
  /** Cookies set to last a day or more: the ones a browser still has at the person's next visit. */
  readonly #persistent = new Set<string>();
  readonly #agent: Agent;
  readonly #headers: Record<string, string>;

  constructor(agent: Agent, headers: Record<string, string>, kept: Record<string, string> = {}) {
    this.#agent = agent;
    this.#headers = headers;
    this.#jar = new Map(Object.entries(kept));
    for (const name of this.#jar.keys()) this.#persistent.add(name);
  }

  /** The cookies that outlive this browser session, for the same person's next visit. */
  persistentCookies(): Record<string, string> {
    return Object.fromEntries([...this.#jar].filter(([name]) => this.#persistent.has(name)));
  }

  async request(url: URL, body?: unknown): Promise<BenchAnswer> {
    const headers: Record<string, string> = { ...this.#headers, accept: 'application/json' };
    if (this.#jar.size > 0) headers['cookie'] = [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await send(this.#agent, url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of r.setCookies) {
      const pair = line.split(';', 1)[0] ?? '';
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) {
        this.#jar.delete(name);
        this.#persistent.delete(name);
      } else {
        this.#jar.set(name, value);
        const maxAge = /;\s*max-age=(\d+)/i.exec(line)?.[1];
        if (maxAge !== undefined && Number(maxAge) >= 86_400) this.#persistent.add(name);
        else this.#persistent.delete(name);
      }
    }
    return r;
  }
}

/** The phone's signed request (as `TestPhone.signed` makes it), signed now, sent by the returned function. */
export async function prepareSigned(
  agent: Agent,
  base: string,
  phone: TestPhone,
  path: string,
  body: unknown,
): Promise<() => Promise<BenchAnswer>> {
  const raw = JSON.stringify(body);
  const signedAt = Date.now();
  const signature = await phone.sign(SIGNED.request('POST', path, signedAt, bodySha256(raw)));
  const headers = {
    'content-type': 'application/json',
    [HEADERS.instance]: phone.instanceId ?? '',
    [HEADERS.signedAt]: String(signedAt),
    [HEADERS.signature]: signature,
  };
  return () => send(agent, new URL(path, base), { method: 'POST', headers, body: raw });
}

/** The phone's approving decision (PIN + device-key signature over the opened approval), sent by the returned function. */
export async function prepareDecision(
  agent: Agent,
  base: string,
  phone: TestPhone,
  input: { loginId: string; opened: Record<string, unknown>; pin: string },
): Promise<() => Promise<BenchAnswer>> {
  const signature = await phone.sign(
    SIGNED.approval({
      loginId: input.loginId,
      challenge: String(input.opened['challenge']),
      clientId: String((input.opened['service'] as { clientId: string }).clientId),
      scopes: input.opened['scopes'] as string[],
      decision: 'approve',
    }),
  );
  const body = JSON.stringify({
    instanceId: phone.instanceId,
    decision: 'approve',
    signature,
    pin: input.pin,
  });
  return () =>
    send(agent, new URL(`/v1/app/approvals/${input.loginId}/decide`, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
}

/** POST of a form (the token endpoint). */
export function postForm(
  agent: Agent,
  url: URL,
  form: Record<string, string>,
  headers: Record<string, string>,
): Promise<BenchAnswer> {
  return send(agent, url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}
