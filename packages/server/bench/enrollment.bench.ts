// Server CPU per complete enrollment (journey A over the HTTP API, in process, SQLite): without the face
// steps' vision work (a test double answers) and with the real vision engine (face match + liveness on a
// synthetic session). Only the server's handling of the requests is counted: the phone's chip reading and
// the synthetic frames are made outside the measured calls, the frames all before measuring, followed by a
// full garbage collection: otherwise collecting the renderer's garbage (tens of MB per session) lands in the
// measured calls (it added ~100-250 ms per enrollment).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createVisionEngine, Jpeg2000Codec } from '@tillid/vision';
import { fixture, HELD_OUT } from '../../vision/test/synth/face-sets.ts';
import {
  appPlan,
  type FramePlan,
  planFor,
  portraitSource,
  poseFrame,
} from '../../vision/test/synth/liveness-frames.ts';
import type { VisionPorts } from '../src/enrollment/enrollment-context.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '../src/enrollment/terms.ts';
import { openStore } from '../src/store/store.ts';
import {
  fakeVision,
  type Harness,
  makePassport,
  mrzLinesOf,
  readChip,
  startHarness,
} from '../test/helpers/enrollment-harness.ts';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 20);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function enrollOnce(
  h: Harness,
  n: number,
  frames: (steps: string[]) => Promise<{ image: string; at: number }[]>,
  sameFace: boolean,
) {
  let serverCpu = 0;
  let faceCpu = 0;
  const call = async (method: 'POST', url: string, payload: unknown) => {
    const t = cpuMs();
    const r = await h.app.inject({ method, url, payload: payload as object });
    serverCpu += cpuMs() - t;
    if (url.includes('/face-')) faceCpu += cpuMs() - t;
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.body}`);
    return r.json();
  };
  const passport = await makePassport(h, {
    documentNumber: `B${String(n).padStart(8, '0')}`,
    ...(sameFace ? { face: fixture(HELD_OUT.portraitJp2) } : {}),
  });
  const id = (await call('POST', '/v1/enrollments', { locale: 'en' })).id;
  const s = (event: string, body: unknown) => call('POST', `/v1/enrollments/${id}/steps/${event}`, body);
  await s('document-type-chosen', { documentType: 'passport' });
  await s('terms-accepted', { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION });
  await s('country-chosen', { country: 'UTO' });
  await s('person-referenced', { kind: 'cpr', cpr: '1208741234' });
  const mrz = await s('mrz-given', { kind: 'lines', lines: mrzLinesOf(passport) });
  const chip = await readChip(passport, mrz.output.aaChallenge);
  await s('chip-evidence-submitted', chip);
  const challenge = (await s('face-challenge-requested', {})).output;
  const f = await frames(challenge.steps);
  await s('face-evidence-submitted', { challengeId: challenge.challengeId, frames: f });
  await s('user-id-chosen', { userId: `bench user ${n}` });
  const phone = `+4520${String(n).padStart(6, '0')}`;
  await s('phone-given', { phone });
  const code = (await h.store.smsOutbox.list({ to: phone, limit: 1 }))[0]?.text.match(/\d{8}/)?.[0];
  await s('phone-verified', { code });
  await s('authenticator-chosen', { authenticator: 'app' });
  return { serverCpu, faceCpu };
}

/** A full collection between the unmeasured set-up and the measured calls. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(1)} ms`;
}

async function measure(
  label: string,
  vision: VisionPorts,
  frames: (steps: string[]) => Promise<{ image: string; at: number }[]>,
  count: number,
  sameFace: boolean,
) {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const h = await startHarness(store, { vision });
  collectGarbage();
  await enrollOnce(h, 0, frames, sameFace); // warm-up
  const xs: number[] = [];
  const faces: number[] = [];
  for (let i = 1; i <= count; i++) {
    const { serverCpu, faceCpu } = await enrollOnce(h, i, frames, sameFace);
    xs.push(serverCpu);
    faces.push(faceCpu);
  }
  process.stdout.write(`${label.padEnd(48)} ${stats(xs)} (${count} enrollments)\n`);
  if (sameFace) process.stdout.write(`${'  of which the two face steps'.padEnd(48)} ${stats(faces)}\n`);
  await h.close();
  await store.close();
}

process.stdout.write('server CPU per complete enrollment (journey A, SQLite, in process)\n');
const marker = (m: string) => async () => [{ image: Buffer.from(m).toString('base64'), at: 100 }];
await measure('without face/liveness work (vision double)', fakeVision(), marker('SAME-PERSON'), runs, false);

const engine = await createVisionEngine({ load: { face: true, mrz: false } });
const portrait = await portraitSource(await Jpeg2000Codec.load());
// Every frame a session can need (pose x position in the session), rendered once, as `session()` would.
const POSES: readonly FramePlan[] = ['neutral', 'turn-left', 'turn-right', 'look-up', 'move-closer'];
const rendered = new Map<string, string>();
for (let i = 0; i < planFor(['turn-left', 'look-up', 'move-closer']).length; i++) {
  for (const pose of POSES) {
    rendered.set(`${pose}@${i}`, (await poseFrame(portrait, pose, { seed: i + 1 })).toString('base64'));
  }
}
const framesOf = (plan: typeof appPlan) => async (steps: string[]) =>
  plan(steps as never).map((pose, i) => ({ image: rendered.get(`${pose}@${i}`)!, at: 500 + i * 400 }));
const ports = {
  faceMatcher: engine.faceMatcher,
  liveness: engine.liveness,
  faceThreshold: engine.faceThreshold,
};
const withVision = Math.max(3, Math.floor(runs / 4));
// What the app sends: the first neutral frame and one held frame per movement (4 for 3 movements).
await measure('with face match + liveness, 4 frames (the app)', ports, framesOf(appPlan), withVision, true);
// A longer session (two frames per movement, neutral frames between): 11 frames, what the app sent before.
await measure('with face match + liveness, 11 frames', ports, framesOf(planFor), withVision, true);
engine.close();
process.stdout.write('target: ≤ 300 ms with face/liveness (issue #5)\n');
