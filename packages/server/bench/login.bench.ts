// Complete app-approval logins per second (journey D) against a Tillid server on loopback, on SQLite and on
// PostgreSQL: authorize → login page → user-ID → method `app` → app opens (signed, number matching) → app
// approves (PIN + device-key signature) → browser poll → resume → code → token. Prints logins/s and the p50/p99
// latency of each request as the clients saw it (clients and server share this machine's cores).
// Usage: node --import tsx bench/login.bench.ts [--logins=1500] [--concurrency=24] [--only=sqlite|postgres]
// PostgreSQL: TILLID_TEST_PG_ADMIN_URL (an admin URL), else a throwaway cluster from /usr/lib/postgresql.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import {
  CLIENT_SECRET,
  REDIRECT,
  seedAppInstanceIn,
  seedIdentityIn,
  type TestPhone,
} from '../src/app-authenticator/testing/test-app.ts';
import { SecretBox } from '../src/crypto/secret-box.ts';
import { freePort, TestBrowser } from '../src/oidc/testing/test-browser.ts';
import type { DatabaseTarget } from '../src/store/database.ts';
import { openStore } from '../src/store/store.ts';
import { createPostgresDatabase } from '../test/helpers/test-databases.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const LOGINS = Number(arg('logins', '1500'));
const CONCURRENCY = Number(arg('concurrency', '24'));
const ONLY = arg('only', '');

const STEPS = [
  'authorize',
  'page',
  'user-id',
  'method',
  'app-open',
  'app-decide',
  'poll',
  'resume',
  'token',
] as const;
type Step = (typeof STEPS)[number];

async function throwawayPostgres(): Promise<{ url: string; stop: () => void } | undefined> {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const version = readdirSync(base).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) return undefined;
  const bin = join(base, version, 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'tillid-bench-pg-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], {
          encoding: 'utf8',
          cwd: dir,
        })
      : spawnSync(join(bin, cmd), args, { encoding: 'utf8', cwd: dir });
  const data = join(dir, 'data');
  if (run('initdb', ['-D', data, '-U', 'tillid', '--auth=trust', '-E', 'UTF8', '--no-sync']).status !== 0)
    return undefined;
  const port = await freePort();
  // Durable settings as in production (fsync on): the benchmark should not flatter PostgreSQL.
  const started = run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
  ]);
  if (started.status !== 0) return undefined;
  return {
    url: `postgres://tillid@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface Person {
  readonly userId: string;
  readonly phone: TestPhone;
}

let source = 0;

async function main() {
  const targets: {
    name: string;
    target: () => Promise<{ target: DatabaseTarget; drop: () => Promise<void> }>;
  }[] = [];
  if (ONLY !== 'postgres')
    targets.push({
      name: 'SQLite',
      target: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tillid-bench-'));
        return {
          target: { kind: 'sqlite', path: join(dir, 'bench.db') },
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    });
  let pg: { url: string; stop: () => void } | undefined;
  if (ONLY !== 'sqlite') {
    const admin = process.env['TILLID_TEST_PG_ADMIN_URL'];
    pg = admin ? { url: admin, stop: () => {} } : await throwawayPostgres();
    if (pg) {
      const url = pg.url;
      targets.push({ name: 'PostgreSQL', target: () => createPostgresDatabase(url) });
    } else
      console.log('PostgreSQL: not available (no TILLID_TEST_PG_ADMIN_URL, no /usr/lib/postgresql); skipped');
  }
  try {
    for (const { name, target } of targets) await measure(name, await target());
  } finally {
    pg?.stop();
  }
}

/** Starts the server in a child process on `target`; resolves when it listens. */
async function serverProcess(target: DatabaseTarget, secrets: { hmacKey: string; encryptionKey: string }) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./login-server.ts', import.meta.url)),
      JSON.stringify({ target, port, secrets }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    /** The server process's CPU time so far (ms), from /proc (Linux). */
    cpuMs: () => {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function measure(name: string, db: { target: DatabaseTarget; drop: () => Promise<void> }) {
  const secrets = {
    hmacKey: randomBytes(32).toString('hex'),
    encryptionKey: randomBytes(32).toString('hex'),
  };
  const server = await serverProcess(db.target, secrets);
  const store = await openStore(db.target, { migrate: false, poolSize: 2 });
  try {
    const rp = await client.discovery(
      new URL(`${server.url}/oidc`),
      'svc',
      undefined,
      client.ClientSecretBasic(CLIENT_SECRET),
      {
        execute: [client.allowInsecureRequests],
      },
    );
    const hmacKey = new Uint8Array(Buffer.from(secrets.hmacKey, 'hex'));
    const secretBox = new SecretBox(new Uint8Array(Buffer.from(secrets.encryptionKey, 'hex')));
    const people: Person[] = [];
    // An app may open 30 approvals a minute: enough people that none of them comes near it.
    const count = Math.max(CONCURRENCY * 2, Math.ceil((LOGINS + 100) / 15));
    for (let i = 0; i < count; i++) {
      const userId = `bench.person.${i}`;
      const identityId = await seedIdentityIn(
        { store, secretBox, hmacKey },
        { userId, phone: `+4570${String(i).padStart(6, '0')}` },
        Date.now(),
      );
      people.push({
        userId,
        phone: await seedAppInstanceIn({ store, hmacKey, url: server.url, now: Date.now }, identityId),
      });
    }
    let offset = 0;
    const run = async (count: number, timings: Map<Step, number[]>) => {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const i = next++;
          await login(server.url, rp, people[(offset + i) % people.length] as Person, timings);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
      offset += count;
    };
    await run(Math.min(100, LOGINS), new Map(STEPS.map((s) => [s, []])));
    const timings = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
    const t0 = performance.now();
    const cpu0 = server.cpuMs();
    await run(LOGINS, timings);
    const seconds = (performance.now() - t0) / 1000;
    const cpuPerLogin = (server.cpuMs() - cpu0) / LOGINS;
    const all = [...timings.values()].flat().sort((a, b) => a - b);
    console.log(
      `${name}: ${(LOGINS / seconds).toFixed(0)} complete app-approval logins/s (${LOGINS} logins, ${CONCURRENCY} concurrent, ${seconds.toFixed(1)} s); ` +
        `per request p50 ${quantile(all, 0.5).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms; ` +
        `server CPU ${cpuPerLogin.toFixed(2)} ms per login (${(1000 / cpuPerLogin).toFixed(0)} logins/s per free core)`,
    );
    for (const step of STEPS) {
      const xs = (timings.get(step) ?? []).sort((a, b) => a - b);
      console.log(
        `  ${step.padEnd(11)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(6)} ms   p99 ${quantile(xs, 0.99).toFixed(1).padStart(6)} ms`,
      );
    }
  } finally {
    await store.close();
    await server.stop();
    await db.drop();
  }
}

/** One complete login, every request timed. */
async function login(base: string, rp: client.Configuration, p: Person, timings: Map<Step, number[]>) {
  source++;
  const browser = new TestBrowser({
    'x-forwarded-for': `10.${(source >> 16) & 255}.${(source >> 8) & 255}.${source & 255}`,
  });
  const timed = async <T>(step: Step, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    timings.get(step)?.push(performance.now() - t0);
    return r;
  };
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    state: 'bench',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const start = await timed('authorize', () => browser.request(url));
  const loginUrl = new URL(String(start.headers.get('location')), url);
  await timed('page', () => browser.json(loginUrl));
  await timed('user-id', () => browser.json(`${loginUrl}/user-id`, { userId: p.userId }));
  const started = await timed('method', () => browser.json(`${loginUrl}/method`, { method: 'app' }));
  const loginId = String(started.body['loginId']);
  const number = (started.body['method'] as { view: { number: string } }).view.number;
  const open = await p.phone.prepareSigned(`/v1/app/approvals/${loginId}/open`, { seen: { number } });
  const opened = await timed('app-open', open);
  if (opened.status !== 200) throw new Error(`open: ${JSON.stringify(opened.body)}`);
  const decide = await p.phone.prepareDecision(loginId, opened.body);
  const decided = await timed('app-decide', decide);
  if (decided.status !== 200) throw new Error(`decide: ${JSON.stringify(decided.body)}`);
  const done = await timed('poll', () => browser.json(`${loginUrl}/step`, { input: { poll: true } }));
  const resume = await timed('resume', () =>
    browser.request(new URL(String(done.body['redirectTo']), loginUrl)),
  );
  const callback = new URL(String(resume.headers.get('location')));
  const code = callback.searchParams.get('code');
  const token = await timed('token', () =>
    fetch(new URL('/oidc/token', base), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`svc:${CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    }).then((r) => r.json() as Promise<Record<string, unknown>>),
  );
  if (typeof token['id_token'] !== 'string') throw new Error(`token: ${JSON.stringify(token)}`);
}

await main();
