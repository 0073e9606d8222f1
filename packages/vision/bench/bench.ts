// `npm run bench -w packages/vision`: ms per face verification (DG2 JP2 + one selfie), per liveness
// check (10 frames, and the shortest session), per MRZ OCR frame, and memory: RSS with the models
// loaded and after K OCR frames interleaved with K face verifications (the server process plus its
// OCR child process, as the operating system counts them).
// Run: node --import tsx packages/vision/bench/bench.ts [--runs N]
// The synthetic inputs are rendered by a separate process first, so that their rendering does not
// count in the memory of the process under test.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVisionEngine, type LivenessStep } from '../src/index.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const SELFIES = 4;
const MRZ_FRAMES = 4;
const STEPS: readonly LivenessStep[] = ['turn-left', 'look-up', 'move-closer'];
const TEN = [
  'neutral',
  'turn-left',
  'turn-left',
  'neutral',
  'look-up',
  'look-up',
  'neutral',
  'move-closer',
  'move-closer',
  'neutral',
] as const;

const writeArg = process.argv.indexOf('--write-inputs');
if (writeArg > 0) {
  await writeInputs(process.argv[writeArg + 1]!);
  process.exit(0);
}

async function writeInputs(dir: string): Promise<void> {
  const { Jpeg2000Codec } = await import('../src/index.ts');
  const { prng, selfieLike } = await import('../test/synth/face-variants.ts');
  const { portraitSource, session } = await import('../test/synth/liveness-frames.ts');
  const { cameraShot, DEFAULT_CAMERA, randomMrz, renderDocument } = await import(
    '../test/synth/mrz-render.ts'
  );
  const portrait = await portraitSource(await Jpeg2000Codec.load());
  for (let i = 0; i < SELFIES; i++) {
    const canvas = { width: 1280, height: 720 };
    writeFileSync(
      path.join(dir, `selfie-${i}.jpg`),
      await selfieLike(portrait, { noiseSigma: 4, jpegQuality: 85, seed: i + 1, canvas }),
    );
  }
  const sessions = {
    ten: await session(portrait, TEN),
    shortest: await session(portrait, ['neutral', ...STEPS]),
  };
  for (const [name, frames] of Object.entries(sessions)) {
    for (const [i, f] of frames.entries()) writeFileSync(path.join(dir, `${name}-${i}.jpg`), f.image);
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(frames.map((f) => f.at)));
  }
  for (let i = 0; i < MRZ_FRAMES; i++) {
    const truth = randomMrz(i % 2 ? 'TD1' : 'TD3', prng(500 + i));
    writeFileSync(
      path.join(dir, `mrz-${i}.jpg`),
      await cameraShot(await renderDocument(truth), { ...DEFAULT_CAMERA, seed: 500 + i }),
    );
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'tillid-vision-bench-'));
try {
  execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--write-inputs', dir],
    {
      stdio: 'inherit',
    },
  );
  await bench(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function bench(dir: string): Promise<void> {
  const read = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));
  const fixtures = await import('../test/synth/face-sets.ts');
  const dg2 = fixtures.fixture(fixtures.HELD_OUT.portraitJp2);
  const selfies = Array.from({ length: SELFIES }, (_, i) => read(`selfie-${i}.jpg`));
  const mrzFrames = Array.from({ length: MRZ_FRAMES }, (_, i) => read(`mrz-${i}.jpg`));
  const sessionOf = (name: string) =>
    (JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as number[]).map((at, i) => ({
      image: read(`${name}-${i}.jpg`),
      at,
    }));
  const ten = sessionOf('ten');
  const shortest = sessionOf('shortest');

  const T0 = Date.now();
  const clock = { now: T0 };
  const rssBefore = rssOf(process.pid);
  const tLoad = performance.now();
  const engine = await createVisionEngine({ now: () => clock.now });
  const loadMs = performance.now() - tLoad;
  const memory = () => {
    const main = rssOf(process.pid);
    const child = engine.ocrProcess?.pid === undefined ? 0 : rssOf(engine.ocrProcess.pid);
    return { main, child, total: main + child };
  };
  const loaded = memory();

  const face: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    await engine.faceMatcher.verify(dg2, selfies[i % selfies.length]!);
    if (i >= 2) face.push(performance.now() - t); // first runs warm the wasm kernels
  }

  const reference = await engine.faceMatcher.referenceTemplate(dg2);
  const challenge = { id: 'bench', steps: STEPS, issuedAt: T0, deadline: T0 + 20_000 };
  const liveness: number[] = [];
  const livenessShortest: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 4)); i++) {
    let t = performance.now();
    await engine.liveness.verify({ challenge, frames: ten, reference });
    liveness.push(performance.now() - t);
    t = performance.now();
    await engine.liveness.verify({ challenge, frames: shortest, reference });
    livenessShortest.push(performance.now() - t);
  }

  const ocr: number[] = [];
  for (let i = 0; i < Math.max(4, Math.ceil(runs / 2)); i++) {
    const t = performance.now();
    await engine.mrz.read(mrzFrames[i % mrzFrames.length]!).catch(() => undefined);
    ocr.push(performance.now() - t);
  }

  // Steady state: K OCR frames interleaved with K face verifications, memory sampled after each.
  const K = Math.max(20, runs * 2);
  const samples: ReturnType<typeof memory>[] = [];
  for (let i = 0; i < K; i++) {
    await engine.mrz.read(mrzFrames[i % mrzFrames.length]!).catch(() => undefined);
    samples.push(memory());
    await engine.faceMatcher.verify(dg2, selfies[i % selfies.length]!);
    samples.push(memory());
  }
  const after = samples.at(-1)!;
  const peak = samples.reduce((m, s) => (s.total > m.total ? s : m));

  const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
  const mem = (m: ReturnType<typeof memory>) =>
    `${mb(m.total)} (server ${mb(m.main)} + OCR child ${mb(m.child)})`;
  const allocator = ['MALLOC_ARENA_MAX', 'MALLOC_TRIM_THRESHOLD_', 'MALLOC_MMAP_THRESHOLD_']
    .map((k) => `${k}=${process.env[k] ?? '(glibc default)'}`)
    .join(' ');
  console.log(`allocator (as docs/operations.md recommends for the server): ${allocator}`);
  console.log(`models loaded in ${loadMs.toFixed(0)} ms; RSS before loading ${mb(rssBefore)}`);
  console.log(`RSS with models loaded:                 ${mem(loaded)}`);
  console.log(`RSS after ${K} OCR frames + ${K} face verifications: ${mem(after)}`);
  console.log(
    `  highest sample during them:          ${mem(peak)}; server high-water mark ${mb(hwmOf(process.pid))}`,
  );
  line('face verification (DG2 + selfie)', face);
  line('liveness check, 10 frames', liveness);
  line(`liveness check, ${shortest.length} frames (shortest)`, livenessShortest);
  line('MRZ OCR, 1280x960 frame', ocr);
  console.log('targets: face p50 <= 200 ms, OCR <= 500 ms per frame, RSS <= 600 MB');
  engine.close();
}

function line(name: string, a: number[]): void {
  console.log(
    `${name.padEnd(38)} p50 ${pct(a, 0.5).toFixed(0).padStart(5)} ms   p95 ${pct(a, 0.95).toFixed(0).padStart(5)} ms   (n=${a.length})`,
  );
}

function pct(a: number[], p: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Resident set size of a process, bytes (Linux /proc; this process's own figure elsewhere). */
function rssOf(pid: number): number {
  return statusField(pid, 'VmRSS') ?? (pid === process.pid ? process.memoryUsage().rss : 0);
}

function hwmOf(pid: number): number {
  return statusField(pid, 'VmHWM') ?? 0;
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
