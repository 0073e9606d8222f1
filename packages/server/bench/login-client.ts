// The benchmark's HTTP client: a browser (cookie jar, manual redirects) and the phone's requests, over
// keep-alive connections of a minimal HTTP/1.1 client. The clients share this machine's two cores with the
// server they measure: node:http's client costs about 0.15 ms of CPU a request here (a login makes 8), fetch
// more, so the benchmark speaks HTTP/1.1 itself (one write a request, a response parsed from its
// content-length or chunks), as a load generator written for the purpose would (wrk, h2load).
import { connect, type Socket } from 'node:net';
import { SIGNED } from '../src/app-authenticator/device-key.ts';
import { bodySha256, HEADERS } from '../src/app-authenticator/signed-request.ts';
import type { TestPhone } from '../src/app-authenticator/testing/test-app.ts';

export interface BenchAnswer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: Record<string, unknown>;
}

interface Answer extends BenchAnswer {
  readonly setCookies: string[];
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** One keep-alive connection: one request at a time, its answer parsed as the bytes arrive. */
class Connection {
  readonly socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  /** The parsed head of the answer being read, once its blank line has arrived. */
  #head: { status: number; headers: Map<string, string>; cookies: string[]; bodyAt: number } | undefined;
  closed = false;

  constructor(port: number, host: string) {
    this.socket = connect({ port, host, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    const fail = (e: Error) => {
      this.closed = true;
      const p = this.#pending;
      this.#pending = undefined;
      p?.reject(e);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed before the answer')));
  }

  send(head: string, body: string | undefined): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.socket.write(body === undefined ? head : head + body);
    });
  }

  #parse(): void {
    if (!this.#head) {
      const end = this.#buffer.indexOf(CRLF_CRLF);
      if (end < 0) return;
      const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
      const headers = new Map<string, string>();
      const cookies: string[] = [];
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        if (name === 'set-cookie') cookies.push(value);
        else headers.set(name, value);
      }
      this.#head = { status: Number(lines[0]?.split(' ')[1]), headers, cookies, bodyAt: end + 4 };
    }
    const head = this.#head;
    const body = this.#body(head.headers, head.bodyAt);
    if (body === undefined) return;
    this.#buffer = this.#buffer.subarray(body.next);
    this.#head = undefined;
    const p = this.#pending;
    this.#pending = undefined;
    if (head.headers.get('connection')?.toLowerCase() === 'close') {
      this.closed = true;
      this.socket.destroy();
    }
    const text = body.bytes.toString('utf8');
    const json = (head.headers.get('content-type') ?? '').includes('json') && text.length > 0;
    p?.resolve({
      status: head.status,
      location: head.headers.get('location'),
      body: json ? (JSON.parse(text) as Record<string, unknown>) : {},
      setCookies: head.cookies,
    });
  }

  /** The body when all of it has arrived (by content-length, or chunked), and where the next answer starts. */
  #body(headers: Map<string, string>, at: number): { bytes: Buffer; next: number } | undefined {
    const length = headers.get('content-length');
    if (length !== undefined) {
      const next = at + Number(length);
      return this.#buffer.length >= next ? { bytes: this.#buffer.subarray(at, next), next } : undefined;
    }
    if (headers.get('transfer-encoding')?.toLowerCase() !== 'chunked')
      return { bytes: Buffer.alloc(0), next: at };
    const parts: Buffer[] = [];
    let i = at;
    for (;;) {
      const eol = this.#buffer.indexOf('\r\n', i);
      if (eol < 0) return undefined;
      const size = Number.parseInt(this.#buffer.toString('latin1', i, eol), 16);
      if (this.#buffer.length < eol + 2 + size + 2) return undefined;
      if (size === 0) return { bytes: Buffer.concat(parts), next: eol + 4 };
      parts.push(this.#buffer.subarray(eol + 2, eol + 2 + size));
      i = eol + 2 + size + 2;
    }
  }
}

/** Keep-alive connections to the servers under test, reused by whichever login needs one next. */
export class BenchAgent {
  /** Idle connections by host and port. */
  readonly #idle = new Map<string, Connection[]>();
  readonly #all = new Set<Connection>();

  async request(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Answer> {
    let idle = this.#idle.get(url.host);
    if (!idle) {
      idle = [];
      this.#idle.set(url.host, idle);
    }
    let connection = idle.pop();
    while (connection?.closed) connection = idle.pop();
    if (!connection) {
      connection = new Connection(Number(url.port || 80), url.hostname);
      this.#all.add(connection);
    }
    let head = `${init.method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
    for (const [name, value] of Object.entries(init.headers)) head += `${name}: ${value}\r\n`;
    if (init.body !== undefined) head += `content-length: ${Buffer.byteLength(init.body)}\r\n`;
    head += '\r\n';
    try {
      return await connection.send(head, init.body);
    } finally {
      if (connection.closed) this.#all.delete(connection);
      else idle.push(connection);
    }
  }

  destroy(): void {
    for (const c of this.#all) c.socket.destroy();
    this.#all.clear();
    this.#idle.clear();
  }
}

export function benchAgent(): BenchAgent {
  return new BenchAgent();
}

function send(
  agent: BenchAgent,
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  return agent.request(url, init);
}

/** A browser: cookies by name (the server reads only the ones it wants), no redirects followed. */
export class BenchBrowser {
  readonly #jar: Map<string, string>;
  /** Cookies set to last a day or more: the ones a browser still has at the person's next visit. */
  readonly #persistent = new Set<string>();
  readonly #agent: BenchAgent;
  readonly #headers: Record<string, string>;

  constructor(agent: BenchAgent, headers: Record<string, string>, kept: Record<string, string> = {}) {
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
  agent: BenchAgent,
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
  agent: BenchAgent,
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
  agent: BenchAgent,
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
