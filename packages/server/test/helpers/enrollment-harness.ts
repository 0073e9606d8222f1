// Drives journey A over HTTP as the phone app would: a real test passport on an in-memory virtual chip
// (packages/mrtd), read with BAC or PACE, the SMS outbox, and a server built from the real flow.
// Vision is a port: `fakeVision` below is a test double (frames carry a marker instead of a face); the
// real engine runs in enrollment-vision.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import {
  type CreateTestDocumentOptions,
  createTestDocument,
  createTestPki,
  createVirtualChip,
  decodeDg1,
  fromHex,
  MemoryTransport,
  mrzInformation,
  parseMrz,
  readDocument,
  type TestDocument,
  TrustStore,
} from '@tillid/mrtd/node';
import { VisionError } from '@tillid/vision';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import { defaultCountryPolicy } from '../../src/enrollment/country-policy.ts';
import type { EnrollmentDeps, VisionPorts } from '../../src/enrollment/enrollment-context.ts';
import { registerEnrollmentRoutes } from '../../src/enrollment/enrollment-routes.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createPopulationRegister } from '../../src/register/population-register.ts';
import { OutboxGateway } from '../../src/sms/sms-gateway.ts';
import type { Store } from '../../src/store/store.ts';

/** A test double of the vision ports: a frame "shows" the face whose marker it carries. */
export function fakeVision(): VisionPorts {
  const marker = (image: Uint8Array) => Buffer.from(image).toString('utf8');
  return {
    faceThreshold: 0.72,
    faceMatcher: {
      engine: 'fake',
      referenceTemplate: async (image: Uint8Array) => ({
        engine: 'fake',
        descriptor: new Float32Array([image.length]),
        face: {} as never,
      }),
      probeTemplate: async () => ({ engine: 'fake', descriptor: new Float32Array([0]), face: {} as never }),
      compare: () => ({ match: true, similarity: 1, threshold: 0.72, engine: 'fake' }),
      verify: async () => ({ match: true, similarity: 1, threshold: 0.72, engine: 'fake' }),
    } as never,
    liveness: {
      createChallenge: () =>
        ({
          id: randomBytes(8).toString('hex'),
          steps: ['turn-left', 'turn-right'],
          issuedAt: Date.now(),
          deadline: Date.now() + 60_000,
        }) as never,
      verify: async ({ frames }) => {
        const marks = frames.map((f) => marker(f.image));
        if (marks.some((m) => m === 'STILL')) throw new VisionError('ERR_LIVENESS_SEQUENCE', 'no movement');
        const similarity = marks.every((m) => m === 'SAME-PERSON') ? 0.9 : 0.2;
        return {
          challengeId: 'x',
          performed: [],
          referenceSimilarity: similarity,
          consistency: 1,
          signals: { real: undefined, live: undefined },
          engine: 'fake',
        };
      },
    },
  };
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly now: { value: number };
  readonly csca: ReturnType<typeof createTestPki>['csca'];
  readonly trustStore: TrustStore;
  readonly deps: EnrollmentDeps;
  close(): Promise<void>;
}

export async function startHarness(store: Store, options: { vision?: VisionPorts } = {}): Promise<Harness> {
  const now = { value: Date.UTC(2026, 10, 25, 12) };
  const { csca } = createTestPki({ country: 'UTO', now: new Date(now.value - 86_400_000) });
  const trustStore = TrustStore.fromCertificates([csca.der]);
  const config = loadConfig({ env: {}, cwd: '/tmp' });
  const deps: EnrollmentDeps = {
    store,
    secretBox: new SecretBox(new Uint8Array(randomBytes(32))),
    hmacKey: new Uint8Array(randomBytes(32)),
    trustStore,
    countryPolicy: defaultCountryPolicy({ allowTestCountry: true }),
    register: createPopulationRegister('demo'),
    sms: new OutboxGateway(store.smsOutbox, () => now.value),
    vision: options.vision ?? fakeVision(),
    random: (n) => new Uint8Array(randomBytes(n)),
  };
  const { app } = await buildApp({
    config,
    store,
    logger: createLogger({ level: process.env.TEST_LOG ?? 'silent' }),
    extend: (a) => {
      registerEnrollmentRoutes(a, { ...deps, clock: { now: () => now.value } });
    },
  });
  await app.ready();
  return { app, store, now, csca, trustStore, deps, close: () => app.close() };
}

export async function makePassport(
  h: Harness,
  options: CreateTestDocumentOptions = {},
): Promise<TestDocument> {
  return createTestDocument({
    csca: h.csca,
    now: new Date(h.now.value),
    surname: 'ERIKSSON',
    givenNames: 'ANNA MARIA',
    dateOfBirth: '740812',
    ...options,
  });
}

/** The phone: reads the chip with the MRZ and answers the server's AA challenge. */
export async function readChip(document: TestDocument, aaChallengeHex: string) {
  const chip = createVirtualChip(document);
  const mrz = parseMrz(mrzLinesOf(document));
  const result = await readDocument({
    transport: new MemoryTransport(chip),
    password: { kind: 'mrz', mrzInformation: mrzInformation(mrz) },
    activeAuthenticationChallenge: fromHex(aaChallengeHex),
  });
  const files: Record<string, string> = {};
  for (const [name, bytes] of result.files) files[name] = Buffer.from(bytes).toString('base64');
  return {
    protocol: result.protocol,
    files,
    ...(result.activeAuthenticationResponse
      ? { aaResponse: Buffer.from(result.activeAuthenticationResponse).toString('hex') }
      : {}),
  };
}

/** The MRZ as printed on the data page (what the camera or the helper's typing gives). */
export function mrzLinesOf(document: TestDocument): string[] {
  const dg1 = document.files.get('DG1');
  return dg1 ? [...decodeDg1(dg1).mrz.lines] : [];
}

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface StepAnswer {
  readonly statusCode: number;
  readonly body: {
    flow?: { state: string; version: number };
    output?: Record<string, unknown>;
    error?: { code: string };
  };
}

export async function step(h: Harness, flowId: string, event: string, body: unknown): Promise<StepAnswer> {
  const r = await h.app.inject({
    method: 'POST',
    url: `/v1/enrollments/${flowId}/steps/${event}`,
    payload: body as object,
  });
  return { statusCode: r.statusCode, body: r.json() };
}

export const frame = (marker: string) => ({ image: Buffer.from(marker).toString('base64'), at: 100 });
