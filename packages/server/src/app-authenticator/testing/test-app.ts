// Test support: a phone app as the PWA will be (a non-extractable WebCrypto P-256 device key, signed requests,
// the transfer and approval steps), and a Tillid server on a loopback port with the OIDC provider, the
// authenticator login methods and the app routes, on a given store.
import { KeyObject, randomBytes, randomUUID, sign, webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssuranceLevel } from '@tillid/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { loadConfig } from '../../config/load-config.ts';
import type { Config } from '../../config/schema.ts';
import { SecretBox } from '../../crypto/secret-box.ts';
import { sealData } from '../../enrollment/enrollment-context.ts';
import { buildApp } from '../../http/app.ts';
import { enrollIdentity } from '../../identity/identity-service.ts';
import { createLogger } from '../../log/logger.ts';
import { createLoginMethods } from '../../oidc/methods/index.ts';
import { loadOidcSettings } from '../../oidc/oidc-settings.ts';
import { type OidcHandle, registerOidc } from '../../oidc/register-oidc.ts';
import { freePort } from '../../oidc/testing/test-browser.ts';
import { OutboxGateway } from '../../sms/sms-gateway.ts';
import type { DatabaseTarget } from '../../store/database.ts';
import { openStore, type Store } from '../../store/store.ts';
import type { AppAuthenticatorDeps } from '../app-authenticator-deps.ts';
import { SIGNED } from '../device-key.ts';
import { instancePinHash } from '../instance-pin.ts';
import { createAppAuthenticator, registerAppAuthenticatorRoutes } from '../register-app-authenticator.ts';
import { bodySha256, HEADERS } from '../signed-request.ts';

export const CLIENT_SECRET = 'a-long-enough-client-secret-for-the-tests-0123456789';
export const REDIRECT = 'http://localhost:8081/callback';
export const TEST_PIN = '482913';

const subtle = webcrypto.subtle;

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url');
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit): Promise<JsonAnswer> {
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function errorCode(a: JsonAnswer): string | undefined {
  return (a.body['error'] as { code?: string } | undefined)?.code;
}

/** A phone: its device key never leaves WebCrypto (non-extractable), as in the PWA. */
export class TestPhone {
  readonly #keys: webcrypto.CryptoKeyPair;
  #signingKey: KeyObject | undefined;
  readonly publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  readonly #base: string;
  readonly #now: () => number;
  instanceId: string | undefined;

  private constructor(
    base: string,
    keys: webcrypto.CryptoKeyPair,
    jwk: webcrypto.JsonWebKey,
    now: () => number,
  ) {
    this.#base = base;
    this.#now = now;
    this.#keys = keys;
    this.publicJwk = { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
  }

  /** `now` is the phone's clock (tests move the server's). */
  static async create(base: string, now: () => number = Date.now): Promise<TestPhone> {
    const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    return new TestPhone(base, keys, await subtle.exportKey('jwk', keys.publicKey), now);
  }

  /**
   * ECDSA P-256 / SHA-256, IEEE P1363 (r ‖ s) as WebCrypto makes it, with the same key through node:crypto: the
   * login benchmark's phones share the machine with the server, and WebCrypto's job costs them twice as much.
   */
  async sign(message: string): Promise<string> {
    this.#signingKey ??= KeyObject.from(this.#keys.privateKey);
    return b64url(
      sign('sha256', Buffer.from(message, 'utf8'), { key: this.#signingKey, dsaEncoding: 'ieee-p1363' }),
    );
  }

  post(path: string, body: unknown): Promise<JsonAnswer> {
    return call(`${this.#base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** A request signed with the device key (method, path, time, SHA-256 of the exact body). */
  async signed(path: string, body: unknown = {}, options: { signedAt?: number; instanceId?: string } = {}) {
    const raw = JSON.stringify(body);
    const signedAt = options.signedAt ?? this.#now();
    const instanceId = options.instanceId ?? this.instanceId ?? '';
    const signature = await this.sign(SIGNED.request('POST', path, signedAt, bodySha256(raw)));
    const headers = {
      'content-type': 'application/json',
      [HEADERS.instance]: instanceId,
      [HEADERS.signedAt]: String(signedAt),
      [HEADERS.signature]: signature,
    };
    return {
      answer: await call(`${this.#base}${path}`, { method: 'POST', headers, body: raw }),
      headers,
      raw,
    };
  }

  /** Signs now, sends later: for timing the request alone. */
  async prepareSigned(path: string, body: unknown): Promise<() => Promise<JsonAnswer>> {
    const raw = JSON.stringify(body);
    const signedAt = this.#now();
    const signature = await this.sign(SIGNED.request('POST', path, signedAt, bodySha256(raw)));
    const headers = {
      'content-type': 'application/json',
      [HEADERS.instance]: this.instanceId ?? '',
      [HEADERS.signedAt]: String(signedAt),
      [HEADERS.signature]: signature,
    };
    return () => call(`${this.#base}${path}`, { method: 'POST', headers, body: raw });
  }

  /** The approving decision for an opened approval, signed now, sent later. */
  async prepareDecision(
    loginId: string,
    opened: Record<string, unknown>,
    pin = TEST_PIN,
  ): Promise<() => Promise<JsonAnswer>> {
    const signature = await this.sign(
      SIGNED.approval({
        loginId,
        challenge: String(opened['challenge']),
        clientId: String((opened['service'] as { clientId: string }).clientId),
        scopes: opened['scopes'] as string[],
        decision: 'approve',
      }),
    );
    const body = { instanceId: this.instanceId, decision: 'approve', signature, pin };
    return () => this.post(`/v1/app/approvals/${loginId}/decide`, body);
  }

  async approve(
    loginId: string,
    seen: { number: string } | { qr: string },
    extra: { pin?: string; decision?: 'approve' | 'reject' } = {},
  ) {
    const opened = (await this.signed(`/v1/app/approvals/${loginId}/open`, { seen })).answer;
    if (opened.status !== 200) return { opened, decided: undefined };
    const decision = extra.decision ?? 'approve';
    const signature = await this.sign(
      SIGNED.approval({
        loginId,
        challenge: String(opened.body['challenge']),
        clientId: String((opened.body['service'] as { clientId: string }).clientId),
        scopes: opened.body['scopes'] as string[],
        decision,
      }),
    );
    const decided = await this.post(`/v1/app/approvals/${loginId}/decide`, {
      instanceId: this.instanceId,
      decision,
      signature,
      ...(decision === 'approve' ? { pin: extra.pin ?? TEST_PIN } : {}),
    });
    return { opened, decided };
  }
}

export interface AppTillid {
  readonly url: string;
  readonly issuer: string;
  readonly config: Config;
  readonly store: Store;
  readonly deps: AppAuthenticatorDeps;
  readonly oidc: OidcHandle;
  readonly app: FastifyInstance;
  /** Moves the server's clock by `ms`. */
  advance(ms: number): void;
  now(): number;
  /** An enrolled identity (written as the enrollment's last step writes it). */
  seedIdentity(input: { userId: string; phone: string; proofing?: AssuranceLevel }): Promise<string>;
  /** A completed enrollment (flow + identity) that chose the app: what the helper's phone holds at the end. */
  completedEnrollment(input: {
    userId: string;
    phone: string;
  }): Promise<{ enrollmentId: string; identityId: string }>;
  /** The last 8-digit code sent by SMS to `phone`. */
  lastSmsCode(phone: string): Promise<string | undefined>;
  relyingParty(): Promise<client.Configuration>;
  close(): Promise<void>;
}

let counter = 0;

/** Writes an enrolled identity as the enrollment's last step does (in one transaction, with its audit event). */
export function seedIdentityIn(
  deps: { store: Store; secretBox: SecretBox; hmacKey: Uint8Array },
  input: { userId: string; phone: string; proofing?: AssuranceLevel },
  now: number,
): Promise<string> {
  counter++;
  const n = counter;
  return deps.store.db.transaction().execute(async (trx) => {
    const made = await enrollIdentity(
      deps,
      {
        pii: {
          person: {
            surname: 'HANSEN',
            givenNames: `TEST ${n}`,
            birthDate: '1985-04-12',
            nationality: 'UTO',
            sex: 'F',
          },
          document: {
            type: 'passport',
            country: 'UTO',
            number: `T${randomUUID().slice(0, 8)}`,
            expiry: '2035-01-01',
          },
          phone: input.phone,
        },
        userIdCanonical: input.userId,
        assurance: input.proofing ?? 'substantial',
        evidence: { authenticator: 'app' },
        assistedBy: null,
      },
      now,
      trx,
    );
    return made.id;
  });
}

export async function startAppTillid(options: {
  target: DatabaseTarget;
  /** `localhost` for WebAuthn in a browser (an IP address is no valid RP ID). */
  hostname?: string;
  identityOf?: (request: FastifyRequest) => Promise<{ identityId: string; userId?: string } | undefined>;
  poolSize?: number;
  /** Fixed port and keys (a benchmark's server process shares them with its client). */
  port?: number;
  secrets?: { hmacKey: string; encryptionKey: string };
}): Promise<AppTillid> {
  const port = options.port ?? (await freePort());
  const cwd = mkdtempSync(join(tmpdir(), 'tillid-app-'));
  const clientsFile = join(cwd, 'clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify({
      clients: [
        {
          client_id: 'svc',
          client_name: 'Borger.dk test',
          client_secret: CLIENT_SECRET,
          redirect_uris: [REDIRECT],
        },
      ],
    }),
  );
  const publicUrl = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const env = {
    TILLID_PORT: String(port),
    TILLID_HOST: '127.0.0.1',
    TILLID_PUBLIC_URL: publicUrl,
    TILLID_HMAC_KEY: options.secrets?.hmacKey ?? randomBytes(32).toString('hex'),
    TILLID_ENCRYPTION_KEY: options.secrets?.encryptionKey ?? randomBytes(32).toString('hex'),
    TILLID_OIDC_CLIENTS: clientsFile,
    TILLID_OIDC_KEY_REFRESH_SECONDS: '0',
    TILLID_OIDC_TRUST_PROXY: 'true',
  };
  const config = loadConfig({ env, cwd });
  const settings = loadOidcSettings({ env, config, cwd });
  // As `tillid start` opens it.
  const store = await openStore(options.target, {
    backgroundCheckpoints: true,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const secretBox = new SecretBox(config.secrets.encryptionKey);
  const sms = new OutboxGateway(store.smsOutbox, clock.now);
  const deps = createAppAuthenticator({
    store,
    secretBox,
    hmacKey: config.secrets.hmacKey,
    sms,
    clock,
    mode: config.mode,
    publicUrl,
  });
  let oidc: OidcHandle | undefined;
  const { app } = await buildApp({
    config,
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    extend: async (a) => {
      await registerAppAuthenticatorRoutes(a, deps, {
        mode: config.mode,
        ...(options.identityOf ? { identityOf: options.identityOf } : {}),
      });
      oidc = await registerOidc(a, { config, store, settings, clock, methods: createLoginMethods(deps) });
    },
  });
  await app.listen({ host: '127.0.0.1', port });

  const seedIdentity: AppTillid['seedIdentity'] = (input) =>
    seedIdentityIn({ store, secretBox, hmacKey: config.secrets.hmacKey }, input, clock.now());

  return {
    url: publicUrl,
    issuer: oidc!.issuer,
    config,
    store,
    deps,
    oidc: oidc!,
    app,
    advance: (ms) => {
      offset += ms;
    },
    now: clock.now,
    seedIdentity,
    async completedEnrollment(input) {
      const identityId = await seedIdentity(input);
      const enrollmentId = randomUUID();
      const data = {
        startedBy: { kind: 'app-instance' as const, id: 'helper' },
        locale: 'da' as const,
        userId: { canonical: input.userId },
      };
      await store.flows.create(
        {
          id: enrollmentId,
          kind: 'enrollment',
          state: 'completed',
          expiresAt: clock.now() + 60_000,
          context: { context: sealData(secretBox, enrollmentId, data) },
        },
        clock.now(),
      );
      return { enrollmentId, identityId };
    },
    async lastSmsCode(phone) {
      const [m] = await store.smsOutbox.list({ to: phone, limit: 1 });
      return m?.text.match(/\d{8}/)?.[0];
    },
    relyingParty: () =>
      client.discovery(new URL(oidc!.issuer), 'svc', undefined, client.ClientSecretBasic(CLIENT_SECRET), {
        execute: [client.allowInsecureRequests],
      }),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A transfer up to proven proximity: shown, scanned by a new phone, and the reverse QR confirmed. */
export interface NearTransfer {
  readonly transferId: string;
  /** The new phone's claim secret, sent with each of its steps. */
  readonly claim: string;
  /** The new phone (its device key becomes the instance's at the PIN step). */
  readonly fresh: TestPhone;
  readonly instanceId: string;
}

/** The showing phone's half of a transfer and the new phone's scan, up to proven proximity. */
export async function nearTransfer(
  t: AppTillid,
  from: { enrollmentId: string } | { app: TestPhone; pin?: string },
): Promise<NearTransfer> {
  const shower = 'app' in from ? from.app : await TestPhone.create(t.url, t.now);
  const started =
    'app' in from
      ? (await from.app.signed('/v1/app/transfers', { pin: from.pin ?? TEST_PIN })).answer
      : await shower.post('/v1/app/transfers', { enrollmentId: from.enrollmentId });
  if (started.status !== 201) throw new TypeError(`transfer start: ${JSON.stringify(started.body)}`);
  const control = String(started.body['control']);
  const [transferId, secret] = String(started.body['qr']).replace('tillid:transfer:v1:', '').split('.') as [
    string,
    string,
  ];

  const fresh = await TestPhone.create(t.url, t.now);
  const ephemeral = await TestPhone.create(t.url, t.now);
  const claim = randomBytes(32).toString('base64url');
  const scan = await fresh.post(`/v1/app/transfers/${transferId}/scan`, {
    secret,
    claim,
    ephemeralKey: { jwk: ephemeral.publicJwk },
  });
  if (scan.status !== 200) throw new TypeError(`scan: ${JSON.stringify(scan.body)}`);
  const instanceId = String(scan.body['instanceId']);
  const presentation = String((scan.body['proximity'] as { presentation: string }).presentation);
  const thumbprint = presentation.split(':').at(-1) ?? '';
  const evidence =
    'app' in from
      ? { thumbprint, signature: await from.app.sign(SIGNED.proximity(transferId, thumbprint)) }
      : { thumbprint };
  const near = await shower.post(`/v1/app/transfers/${transferId}/proximity`, { control, evidence });
  if (near.status !== 200) throw new TypeError(`proximity: ${JSON.stringify(near.body)}`);
  return { transferId, claim, fresh, instanceId };
}

/** The new phone's half and the showing phone's half of a transfer, step by step; returns the activated phone. */
export async function copyApp(
  t: AppTillid,
  input: {
    userId: string;
    phone: string;
    /** The showing side: a helper's phone holding an enrollment, or an activated app. */
    from: { enrollmentId: string } | { app: TestPhone };
    pin?: string;
    subscription?: boolean;
  },
): Promise<TestPhone> {
  const { transferId, claim, fresh, instanceId } = await nearTransfer(
    t,
    'app' in input.from ? { app: input.from.app, ...(input.pin ? { pin: input.pin } : {}) } : input.from,
  );
  const step = async (path: string, body: Record<string, unknown>) => {
    const r = await fresh.post(`/v1/app/transfers/${transferId}/${path}`, { claim, ...body });
    if (r.status !== 200) throw new TypeError(`${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await step('user-id', { userId: input.userId });
  await step('temporary-pin', { temporaryPin: await t.lastSmsCode(input.phone) });
  const pin = input.pin ?? TEST_PIN;
  await step('pin', {
    pin,
    repeat: pin,
    deviceKey: { jwk: fresh.publicJwk },
    proof: await fresh.sign(SIGNED.activation(transferId, instanceId)),
    name: 'Test phone',
  });
  await step('biometrics', { credential: null });
  const done = await step('notifications', {
    subscription:
      input.subscription === false
        ? null
        : { endpoint: `https://push.example.test/${instanceId}`, keys: { p256dh: 'BPk', auth: 'YXV0aA' } },
  });
  fresh.instanceId = String(done['instanceId']);
  return fresh;
}

/** An activated app written straight into the store (for tests that need many: 500 concurrent logins). */
export function seedAppInstance(t: AppTillid, identityId: string, pin = TEST_PIN): Promise<TestPhone> {
  return seedAppInstanceIn(
    { store: t.store, hmacKey: t.config.secrets.hmacKey, url: t.url, now: t.now },
    identityId,
    pin,
  );
}

export async function seedAppInstanceIn(
  deps: { store: Store; hmacKey: Uint8Array; url: string; now: () => number },
  identityId: string,
  pin = TEST_PIN,
): Promise<TestPhone> {
  const phone = await TestPhone.create(deps.url, deps.now);
  const id = randomUUID();
  const made = await deps.store.appInstances.insert({
    id,
    identityId,
    name: 'Seeded phone',
    publicKey: phone.publicJwk,
    pinHash: instancePinHash(deps.hmacKey, id, pin),
    pushSealed: null,
    origin: 'test:seeded',
    transferId: randomUUID(),
    createdAt: deps.now(),
  });
  if (!made) throw new TypeError('no free app slot');
  phone.instanceId = id;
  return phone;
}
