// Complete app-approval logins per second (journey D) against a Tillid server on loopback, on SQLite and on
// PostgreSQL: authorize → login page → user-ID (a returning browser: its last method, the app, starts at once) →
// app opens (signed, number matching) → app approves (PIN + device-key signature) → browser poll → resume →
// code → token. Every person logs in once, then --warmup more logins run unmeasured, before the measured
// logins: V8 compiles the server's hot paths only after thousands of logins (each server process sees its
// share), and a server that has run for a minute is in that state. Prints logins/s and the p50/p99
// latency of each request as the clients saw it, and the CPU time the server and the clients spent per login
// (they share this machine's cores, so the clients' share is not available to the server).
// Usage: node --import tsx bench/login.bench.ts [--logins=3000] [--warmup=4000] [--concurrency=24]
//          [--only=sqlite|postgres] [--workers=1,2] [--profile=DIR] [--step-cpu]
// --workers lists the server process counts to measure on each store (as `tillid start --workers N`: N
// processes on one port and one database); by default 1 (for comparison) and 2 (one per core here).
// PostgreSQL: TILLID_TEST_PG_ADMIN_URL (an admin URL), else a throwaway cluster from /usr/lib/postgresql.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import {
  CLIENT_SECRET,
  REDIRECT,
  seedAppInstanceIn,
  seedIdentityIn,
  TEST_PIN,
  type TestPhone,
} from '../src/app-authenticator/testing/test-app.ts';
import { SecretBox } from '../src/crypto/secret-box.ts';
import { freePort } from '../src/oidc/testing/test-browser.ts';
import type { DatabaseTarget } from '../src/store/database.ts';
import { openStore } from '../src/store/store.ts';
import { createPostgresDatabase } from '../test/helpers/test-databases.ts';
import {
  type BenchAgent,
  type BenchAnswer,
  BenchBrowser,
  benchAgent,
  postForm,
  prepareDecision,
  prepareSigned,
} from './login-client.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const LOGINS = Number(arg('logins', '3000'));
const CONCURRENCY = Number(arg('concurrency', '24'));
const ONLY = arg('only', '');
const WARMUP = Number(arg('warmup', '4000'));
/** A directory for V8 CPU profiles of the server process (`--cpu-prof`), to see where a login's time goes. */
const PROFILE = arg('profile', '');
/**
 * Server CPU per request step, read from /proc around each request: meaningful with --concurrency=1, when the
 * server works on one request at a time. With --profile, also writes DIR/steps.txt (each request's step and
 * its start and end on the monotonic clock, in µs) for bench/profile-steps.ts.
 */
const STEP_CPU = process.argv.includes('--step-cpu');
let serverCpuMs: (() => number) | undefined;
const stepCpu = new Map<string, number>();
const stepWindows: string[] = [];
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
const WORKERS = arg('workers', '1,2')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 1);

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

interface Postgres {
  readonly url: string;
  stop(): void;
  /** CPU time of the cluster's processes so far (ms), when it is our own throwaway cluster. */
  cpuMs?(): number;
}

/** utime, stime, cutime, cstime and ppid of a process (ms, and a pid), from /proc (Linux; 10 ms ticks). */
function procStat(pid: number): { own: number; children: number; ppid: number } | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return {
      own: ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10,
      children: ((Number(f[13]) || 0) + (Number(f[14]) || 0)) * 10,
      ppid: Number(f[1]),
    };
  } catch {
    return undefined;
  }
}

async function throwawayPostgres(): Promise<Postgres | undefined> {
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
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    // Over the Unix socket, as a server on the same machine connects (TCP on loopback costs the server and
    // PostgreSQL more system time per statement).
    url: `postgres://tillid@localhost:${port}/postgres?host=${encodeURIComponent(dir)}`,
    // The postmaster, its live children (backends, WAL writer…) and the children it has reaped.
    cpuMs: () => {
      const main = procStat(postmaster);
      let sum = (main?.own ?? 0) + (main?.children ?? 0);
      for (const name of readdirSync('/proc')) {
        const pid = Number(name);
        if (!Number.isInteger(pid) || pid === postmaster) continue;
        const s = procStat(pid);
        if (s?.ppid === postmaster) sum += s.own;
      }
      return sum;
    },
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Busy and total CPU time of the whole machine so far (ms), from /proc/stat: shows whether the cores were the limit. */
function machineCpuMs(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) * 10, total: total * 10 };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface Person {
  readonly userId: string;
  readonly phone: TestPhone;
  /** The cookies a browser keeps between visits (the last login method), once this person logged in. */
  kept: Record<string, string>;
}

let source = 0;

async function main() {
  const targets: {
    name: string;
    target: () => Promise<{ target: DatabaseTarget; drop: () => Promise<void> }>;
    databaseCpuMs?: () => number;
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
  let pg: Postgres | undefined;
  if (ONLY !== 'sqlite') {
    const admin = process.env['TILLID_TEST_PG_ADMIN_URL'];
    pg = admin ? { url: admin, stop: () => {} } : await throwawayPostgres();
    if (pg) {
      const url = pg.url;
      targets.push({
        name: 'PostgreSQL',
        target: () => createPostgresDatabase(url),
        ...(pg.cpuMs ? { databaseCpuMs: pg.cpuMs } : {}),
      });
    } else
      console.log('PostgreSQL: not available (no TILLID_TEST_PG_ADMIN_URL, no /usr/lib/postgresql); skipped');
  }
  try {
    for (const t of targets)
      for (const workers of WORKERS) await measure(t.name, workers, await t.target(), t.databaseCpuMs);
  } finally {
    pg?.stop();
  }
}

/** utime + stime (ms) of a process, or of one of its threads, from /proc (Linux; clock ticks of 10 ms). */
function threadCpuMs(pid: number, tid?: number): number {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const f = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10;
}

/** Starts the server in a child process on `target`; resolves when it listens. */
async function serverProcess(
  target: DatabaseTarget,
  secrets: { hmacKey: string; encryptionKey: string },
  nodes: number,
) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('./login-server.ts', import.meta.url)),
      JSON.stringify({ target, port, secrets, nodes }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { url, pids } = await new Promise<{ url: string; pids: number[] }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+) (\S+)\n/.exec(out);
      if (m) resolve({ url: m[1] as string, pids: (m[2] as string).split(',').map(Number) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    /** The server processes' CPU time so far (ms), from /proc (Linux; clock ticks of 10 ms). */
    cpuMs: () => [...new Set([child.pid ?? 0, ...pids])].reduce((sum, pid) => sum + threadCpuMs(pid), 0),
    /**
     * The CPU time of the server processes' main threads (their event loops) so far: one event loop can use
     * one core at most, so this, not the process total, is what limits a single process.
     */
    eventLoopCpuMs: () => pids.reduce((sum, pid) => sum + threadCpuMs(pid, pid), 0),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function measure(
  name: string,
  nodes: number,
  db: { target: DatabaseTarget; drop: () => Promise<void> },
  databaseCpuMs?: () => number,
) {
  const secrets = {
    hmacKey: randomBytes(32).toString('hex'),
    encryptionKey: randomBytes(32).toString('hex'),
  };
  const server = await serverProcess(db.target, secrets, nodes);
  serverCpuMs = server.cpuMs;
  const agent = benchAgent();
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
    const count = Math.max(CONCURRENCY * 2, Math.ceil((LOGINS + WARMUP + 100) / 15));
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
        kept: {},
      });
    }
    let offset = 0;
    const run = async (count: number, timings: Map<Step, number[]>) => {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const i = next++;
          await login(agent, server.url, rp, people[(offset + i) % people.length] as Person, timings);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
      offset += count;
    };
    // Warm-up: every person logs in once, so the measured logins are returning browsers (their last method
    // remembered, as a person's own browser keeps it for a year): authorize → user-ID → approval → code → token.
    await run(people.length, new Map(STEPS.map((s) => [s, []])));
    if (WARMUP > 0) await run(WARMUP, new Map(STEPS.map((s) => [s, []])));
    const timings = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
    const t0 = performance.now();
    const cpu0 = server.cpuMs();
    const loops0 = server.eventLoopCpuMs();
    const databaseCpu0 = databaseCpuMs?.();
    const clientCpu0 = process.cpuUsage();
    const machine0 = machineCpuMs();
    stepCpu.clear();
    stepWindows.length = 0;
    await run(LOGINS, timings);
    if (STEP_CPU && PROFILE) {
      mkdirSync(PROFILE, { recursive: true });
      writeFileSync(join(PROFILE, 'steps.txt'), `${stepWindows.join('\n')}\n`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuPerLogin = (server.cpuMs() - cpu0) / LOGINS;
    const loopsPerLogin = (server.eventLoopCpuMs() - loops0) / LOGINS;
    const databaseCpu =
      databaseCpuMs && databaseCpu0 !== undefined
        ? `, PostgreSQL CPU ${((databaseCpuMs() - databaseCpu0) / LOGINS).toFixed(2)} ms per login`
        : '';
    const clientCpu = process.cpuUsage(clientCpu0);
    const machine1 = machineCpuMs();
    const machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
    const clientCpuPerLogin = (clientCpu.user + clientCpu.system) / 1000 / LOGINS;
    const all = [...timings.values()].flat().sort((a, b) => a - b);
    const label =
      nodes > 1 ? `${name} (${nodes} server worker processes on one database)` : `${name} (1 server process)`;
    console.log(
      `${label}: ${(LOGINS / seconds).toFixed(0)} complete app-approval logins/s (${LOGINS} logins, ${CONCURRENCY} concurrent, ${seconds.toFixed(1)} s); ` +
        `per request p50 ${quantile(all, 0.5).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms; ` +
        `server CPU ${cpuPerLogin.toFixed(2)} ms per login (${(1000 / cpuPerLogin).toFixed(0)} logins/s per free core; ` +
        `${loopsPerLogin.toFixed(2)} ms on the event loop${nodes > 1 ? 's' : ''}), ` +
        `client CPU ${clientCpuPerLogin.toFixed(2)} ms per login${databaseCpu}; machine ${(100 * machineBusy).toFixed(0)}% busy ` +
        `(${((machine1.busy - machine0.busy) / LOGINS).toFixed(1)} ms of CPU per login, every process included)`,
    );
    for (const step of STEPS) {
      const xs = (timings.get(step) ?? []).sort((a, b) => a - b);
      if (xs.length === 0) continue;
      console.log(
        `  ${step.padEnd(11)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(6)} ms   p99 ${quantile(xs, 0.99).toFixed(1).padStart(6)} ms` +
          (STEP_CPU
            ? `   server CPU ${((stepCpu.get(step) ?? 0) / xs.length).toFixed(2).padStart(5)} ms`
            : ''),
      );
    }
  } finally {
    agent.destroy();
    await store.close();
    await server.stop();
    await db.drop();
  }
}

/** One complete login, every request timed. */
async function login(
  agent: BenchAgent,
  base: string,
  rp: client.Configuration,
  p: Person,
  timings: Map<Step, number[]>,
) {
  source++;
  // A new address per login: the user-ID throttle counts per source (10 a minute), and these are many people.
  const browser = new BenchBrowser(
    agent,
    { 'x-forwarded-for': `10.${(source >> 16) & 255}.${(source >> 8) & 255}.${source & 255}` },
    p.kept,
  );
  const timed = async <T>(step: Step, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const c0 = STEP_CPU ? serverCpuMs?.() : undefined;
    const m0 = STEP_CPU ? monotonicMicros() : 0;
    const r = await f();
    timings.get(step)?.push(performance.now() - t0);
    if (c0 !== undefined && serverCpuMs) {
      stepCpu.set(step, (stepCpu.get(step) ?? 0) + serverCpuMs() - c0);
      stepWindows.push(`${step} ${m0} ${monotonicMicros()}`);
    }
    return r;
  };
  const expect = (what: string, r: BenchAnswer, status: number) => {
    if (r.status !== status) throw new TypeError(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r;
  };
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    state: 'bench',
    // RFC 7636 §4.2 S256, with node:crypto (WebCrypto's async digest costs the client more than the hash).
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const start = expect('authorize', await timed('authorize', () => browser.request(url)), 303);
  const loginUrl = new URL(String(start.location), url);
  expect('page', await timed('page', () => browser.request(loginUrl)), 200);
  let started = expect(
    'user-id',
    await timed('user-id', () => browser.request(new URL(`${loginUrl}/user-id`), { userId: p.userId })),
    200,
  );
  // A browser that has not logged in before chooses the method; a returning one finds the app started.
  if (started.body['method'] === null)
    started = expect(
      'method',
      await timed('method', () => browser.request(new URL(`${loginUrl}/method`), { method: 'app' })),
      200,
    );
  const loginId = String(started.body['loginId']);
  const number = (started.body['method'] as { view: { number: string } }).view.number;
  const open = await prepareSigned(agent, base, p.phone, `/v1/app/approvals/${loginId}/open`, {
    seen: { number },
  });
  const opened = expect('app-open', await timed('app-open', open), 200);
  const decide = await prepareDecision(agent, base, p.phone, { loginId, opened: opened.body, pin: TEST_PIN });
  expect('app-decide', await timed('app-decide', decide), 200);
  const done = expect(
    'poll',
    await timed('poll', () => browser.request(new URL(`${loginUrl}/step`), { input: { poll: true } })),
    200,
  );
  const resume = expect(
    'resume',
    await timed('resume', () => browser.request(new URL(String(done.body['redirectTo']), loginUrl))),
    303,
  );
  const code = new URL(String(resume.location)).searchParams.get('code');
  const token = await timed('token', () =>
    postForm(
      agent,
      new URL('/oidc/token', base),
      { grant_type: 'authorization_code', code: code ?? '', redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: `Basic ${Buffer.from(`svc:${CLIENT_SECRET}`).toString('base64')}` },
    ),
  );
  if (typeof token.body['id_token'] !== 'string') throw new TypeError(`token: ${JSON.stringify(token.body)}`);
  p.kept = browser.persistentCookies();
}

await main();
