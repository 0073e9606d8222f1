// Journey A with the real vision engine (packages/vision): the MRZ read by OCR from a synthetic camera frame,
// a JPEG 2000 chip portrait (the ICAO 39794-5 sample), and a synthetic liveness session that performs the
// server's challenge. A different person's session is refused. Models load once for the file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVisionEngine, Jpeg2000Codec, type RgbImage, type VisionEngine } from '@tillid/vision';
import { fixture, HELD_OUT } from '../../vision/test/synth/face-sets.ts';
import { planFor, portraitSource, session, webcamSource } from '../../vision/test/synth/liveness-frames.ts';
import { cameraShot, DEFAULT_CAMERA, renderDocument } from '../../vision/test/synth/mrz-render.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from '../src/enrollment/terms.ts';
import { openStore, type Store } from '../src/store/store.ts';
import {
  type Harness,
  makePassport,
  mrzLinesOf,
  readChip,
  startHarness,
  step,
} from './helpers/enrollment-harness.ts';

describe('enrollment with the real vision engine', () => {
  let store: Store;
  let h: Harness;
  let engine: VisionEngine;
  let portrait: RgbImage;
  const clock = { now: 0 };

  before(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    engine = await createVisionEngine({ now: () => clock.now });
    h = await startHarness(store, {
      vision: {
        faceMatcher: engine.faceMatcher,
        liveness: engine.liveness,
        mrz: engine.mrz,
        faceThreshold: engine.faceThreshold,
      },
    });
    clock.now = h.now.value;
    portrait = await portraitSource(await Jpeg2000Codec.load());
  });
  after(async () => {
    await h?.close();
    engine?.close();
    await store?.close();
  });

  async function toFace(name: string) {
    const start = await h.app.inject({ method: 'POST', url: '/v1/enrollments', payload: { locale: 'da' } });
    const id = start.json().id as string;
    const ok = async (event: string, body: unknown) => {
      const r = await step(h, id, event, body);
      assert.equal(r.statusCode, 200, `${event}: ${JSON.stringify(r.body)}`);
      return r.body.output as Record<string, unknown>;
    };
    await ok('document-type-chosen', { documentType: 'passport' });
    await ok('terms-accepted', { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION });
    await ok('country-chosen', { country: 'UTO' });
    await ok('person-referenced', { kind: 'cpr', cpr: '1208741234' });
    const passport = await makePassport(h, { face: fixture(HELD_OUT.portraitJp2), documentNumber: name });
    const doc = await renderDocument({ format: 'TD3', lines: mrzLinesOf(passport) });
    const frame = await cameraShot(doc, { ...DEFAULT_CAMERA, seed: 7 });
    const mrz = await ok('mrz-given', { kind: 'frame', image: frame.toString('base64') });
    assert.deepEqual(mrz['mrz'], {
      documentNumber: name,
      dateOfBirth: '740812',
      dateOfExpiry: mrzLinesOf(passport)[1]?.slice(21, 27),
    });
    const chip = await readChip(passport, String(mrz['aaChallenge']));
    await ok('chip-evidence-submitted', chip);
    const challenge = await ok('face-challenge-requested', {});
    return { id, ok, challenge: challenge as { challengeId: string; steps: string[] } };
  }

  it('reads the MRZ from a camera frame and accepts a session performing the challenge with the chip face', async () => {
    const flow = await toFace('L898902C3');
    const frames = await session(portrait, planFor(flow.challenge.steps as never));
    await flow.ok('face-evidence-submitted', {
      challengeId: flow.challenge.challengeId,
      frames: frames.map((f) => ({ image: Buffer.from(f.image).toString('base64'), at: f.at })),
    });
    const row = await store.flows.get(flow.id);
    assert.equal(row?.state, 'face-verified');
  });

  it('refuses a session by someone else', async () => {
    const flow = await toFace('X12345678');
    const other = await webcamSource();
    const frames = await session(other.image, planFor(flow.challenge.steps as never), { face: other.face });
    const r = await step(h, flow.id, 'face-evidence-submitted', {
      challengeId: flow.challenge.challengeId,
      frames: frames.map((f) => ({ image: Buffer.from(f.image).toString('base64'), at: f.at })),
    });
    assert.ok(
      ['ERR_FACE_MISMATCH', 'ERR_LIVENESS_FAILED'].includes(String(r.body.error?.code)),
      JSON.stringify(r.body),
    );
    assert.equal((await store.flows.get(flow.id))?.state, 'face-challenge-issued');
  });
});
