// Where a login's server CPU goes, request step by request step: attributes the samples of a V8 CPU profile of
// the server (bench/login.bench.ts --profile=DIR) to the step the benchmark had in flight when each was taken
// (--step-cpu writes DIR/steps.txt), and prints µs per login by package (or by function, for one step).
// Run the benchmark with --concurrency=1 so that the server works on one request at a time:
//   node --import tsx bench/login.bench.ts --only=sqlite --workers=1 --concurrency=1 --logins=2000 \
//     --step-cpu --profile=/tmp/prof
//   node --import tsx bench/profile-steps.ts /tmp/prof [STEP]
// Both clocks are the machine's monotonic clock in µs (V8's profile timestamps and process.hrtime).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [dir, only] = process.argv.slice(2);
if (!dir) {
  console.error(
    'usage: profile-steps.ts DIR [STEP]   (DIR as given to login.bench.ts --profile with --step-cpu)',
  );
  process.exit(2);
}
// The main thread's profile of the server process is the largest file.
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(dir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
if (!file) throw new TypeError(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const windows = readFileSync(join(dir, 'steps.txt'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [step = '', from = '0', to = '0'] = line.split(' ');
    return { step, from: Number(from), to: Number(to) };
  })
  .sort((a, b) => a.from - b.from);
const steps = [...new Set(windows.map((w) => w.step))];
const logins = windows.filter((w) => w.step === 'token').length || 1;

function where(url: string): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?([a-z_]+).*/, 'node:$2');
  return url
    .replace(/^.*\/packages\//, 'packages/')
    .split('/')
    .slice(0, 4)
    .join('/');
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const table = new Map<string, Map<string, number>>();
let t = profile.startTime;
let w = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  while (w < windows.length && (windows[w]?.to ?? 0) < t) w++;
  const window = windows[w];
  const step = window && window.from <= t ? window.step : '(between)';
  const frame = nodes.get(profile.samples[i] ?? -1)?.callFrame;
  if (!frame || frame.functionName === '(idle)') continue;
  if (only !== undefined && step !== only) continue;
  const key =
    only !== undefined
      ? `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber}`
      : frame.functionName.startsWith('(')
        ? frame.functionName
        : where(frame.url);
  const row = table.get(key) ?? new Map<string, number>();
  row.set(step, (row.get(step) ?? 0) + dt);
  table.set(key, row);
}

const columns = only !== undefined ? [only] : steps;
const total = (row: Map<string, number>) => columns.reduce((sum, s) => sum + (row.get(s) ?? 0), 0);
const rows = [...table].sort((a, b) => total(b[1]) - total(a[1])).slice(0, 45);
const cell = (us: number) => (us / logins).toFixed(0).padStart(9);
console.log(`µs of server CPU per login (${logins} logins), by ${only ? 'function' : 'package'} and step:`);
console.log(`${''.padEnd(44)}${columns.map((s) => s.slice(0, 9).padStart(9)).join('')}    total`);
for (const [key, row] of rows)
  console.log(
    `${key.slice(0, 43).padEnd(44)}${columns.map((s) => cell(row.get(s) ?? 0)).join('')}${cell(total(row))}`,
  );
const sums = columns.map((s) => [...table.values()].reduce((sum, row) => sum + (row.get(s) ?? 0), 0));
console.log(`${'all'.padEnd(44)}${sums.map(cell).join('')}${cell(sums.reduce((a, b) => a + b, 0))}`);
