// Login records bound to the browser that started them (DESIGN §3.1, MitID's January 2022 incident):
// the first page view of an interaction creates the record and a random binding secret kept only in that
// browser's cookie; every later browser step must present it, and only such a step can finish the login.
// Records are persisted flows (kind `oidc-login`), changed by compare-and-set, so any node can serve them.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ServerError } from '../../errors.ts';
import type { FlowRecord, FlowRepository } from '../../store/flow-repository.ts';
import { LOGIN_STATE, prepare, type Slots } from '../../store/prepared-query.ts';
import type { Database } from '../../store/schema.ts';
import type { JsonValue } from './login-method.ts';

export const LOGIN_FLOW_KIND = 'oidc-login';

export type LoginStep = 'user-id' | 'method' | 'finished';

export interface LoginRecord {
  readonly loginId: string;
  readonly uid: string;
  readonly version: number;
  readonly expiresAt: number;
  readonly step: LoginStep;
  readonly clientId: string;
  /** The authorization request's `scope` and `acr_values` (what the steps before the finish need of it). */
  readonly request: LoginRequest;
  /** After the user-ID step: the named identity, or null when the user-ID is unknown (never revealed). */
  readonly identityId: string | null;
  readonly method: LoginMethodState | null;
}

/** What the login's steps need of the authorization request, kept with the login (one read less per step). */
export interface LoginRequest {
  readonly scope: string;
  readonly acrValues?: string;
}

interface LoginContextData {
  readonly uid: string;
  readonly bindingHash: string;
  readonly clientId: string;
  /** Absent in records of an earlier version: the steps then read it from the interaction. */
  readonly request?: LoginRequest;
  readonly identityId: string | null;
  readonly method: LoginMethodState | null;
}

/** The chosen method's private state and the last view the browser was given. */
export interface LoginMethodState {
  readonly id: string;
  readonly state: JsonValue;
  readonly view: { readonly [key: string]: JsonValue };
}

export interface LoginPatch {
  readonly step?: LoginStep;
  readonly identityId?: string | null;
  readonly method?: LoginMethodState | null;
}

export interface InteractionStore {
  /** Starts the login of interaction `uid` in this browser; the binding secret goes into its cookie. */
  begin(
    input: { uid: string; clientId: string; request: LoginRequest; expiresAt: number },
    now: number,
  ): Promise<{ record: LoginRecord; bindingSecret: string }>;
  /** The login of `uid` if it exists; ERR_LOGIN_BINDING when the browser's secret is missing or wrong. */
  loadBound(uid: string, bindingSecret: string | undefined, now: number): Promise<LoginRecord | undefined>;
  /** The login by its public id, for other parties (the approving app); such callers can never finish it. */
  loadById(loginId: string, now: number): Promise<LoginRecord | undefined>;
  /** Applies `patch` if the record is still at `record.version` (else ERR_FLOW_VERSION). */
  update(record: LoginRecord, patch: LoginPatch, now: number): Promise<LoginRecord>;
}

/** The login's public id: derived from the uid one way, so knowing it never yields the uid. */
export function loginIdFor(uid: string): string {
  return `login_${createHash('sha256').update(`tillid/oidc-login\u0000${uid}`).digest('base64url')}`;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function bindingMatches(secret: string | undefined, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret ?? ''), 'hex');
  const stored = /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : Buffer.alloc(32);
  return timingSafeEqual(presented, stored) && secret !== undefined && secret.length > 0;
}

function toRecord(
  r: Pick<FlowRecord<LoginContextData>, 'id' | 'version' | 'expiresAt' | 'state' | 'context'>,
): LoginRecord {
  return {
    loginId: r.id,
    uid: r.context.uid,
    version: r.version,
    expiresAt: r.expiresAt,
    step: r.state as LoginStep,
    clientId: r.context.clientId,
    request: r.context.request ?? UNKNOWN_REQUEST,
    identityId: r.context.identityId,
    method: r.context.method,
  };
}

/** The request of a record written before logins kept it: the steps read the interaction instead. */
export const UNKNOWN_REQUEST: LoginRequest = Object.freeze({ scope: '' });

function bindingError(): ServerError {
  return new ServerError('ERR_LOGIN_BINDING', 'this login was started in another browser', {
    status: 403,
    messageId: 'login.otherBrowser',
  });
}

/** The compare-and-set of a login record (its kind too: a login id never names another kind of flow). */
const UPDATE = prepare(
  (
    db,
    s: Slots<{ id: string; state: string; version: number; expected: number; now: number; context: string }>,
  ) =>
    db
      .updateTable('flows')
      .set({ state: s.state, version: s.version, updated_at: s.now, context: s.context })
      .where('id', '=', s.id)
      .where('kind', '=', LOGIN_FLOW_KIND)
      .where('version', '=', s.expected),
  LOGIN_STATE,
);

export class FlowInteractionStore implements InteractionStore {
  readonly #flows: FlowRepository;
  readonly #db: Kysely<Database>;
  /**
   * The stored context each record this store handed out was read with: an update is a compare-and-set on the
   * version, so when it applies, the stored context is exactly this one and needs no second read.
   */
  readonly #contexts = new WeakMap<LoginRecord, LoginContextData>();

  /** `db` is the flows' database: an update is one compare-and-set statement, not read-write-read. */
  constructor(flows: FlowRepository, db: Kysely<Database>) {
    this.#flows = flows;
    this.#db = db;
  }

  #record(r: Parameters<typeof toRecord>[0]): LoginRecord {
    const record = toRecord(r);
    this.#contexts.set(record, r.context);
    return record;
  }

  async begin(
    input: { uid: string; clientId: string; request: LoginRequest; expiresAt: number },
    now: number,
  ): Promise<{ record: LoginRecord; bindingSecret: string }> {
    const bindingSecret = randomBytes(32).toString('base64url');
    const context: LoginContextData = {
      uid: input.uid,
      bindingHash: hashSecret(bindingSecret),
      clientId: input.clientId,
      request: input.request,
      identityId: null,
      method: null,
    };
    try {
      const r = await this.#flows.create<LoginContextData>(
        {
          id: loginIdFor(input.uid),
          kind: LOGIN_FLOW_KIND,
          state: 'user-id',
          expiresAt: input.expiresAt,
          context,
          loginState: true,
        },
        now,
      );
      return { record: this.#record(r), bindingSecret };
    } catch (cause) {
      // Only an existing record means another page view of this interaction got there first.
      if (!(await this.#flows.get(loginIdFor(input.uid)))) throw cause;
      throw new ServerError('ERR_LOGIN_BINDING', 'this login has already started in a browser', {
        status: 403,
        messageId: 'login.otherBrowser',
        cause,
      });
    }
  }

  async #get(loginId: string, now: number): Promise<FlowRecord<LoginContextData> | undefined> {
    const r = await this.#flows.get<LoginContextData>(loginId);
    if (!r || r.kind !== LOGIN_FLOW_KIND || r.expiresAt <= now) return undefined;
    return r;
  }

  async loadBound(
    uid: string,
    bindingSecret: string | undefined,
    now: number,
  ): Promise<LoginRecord | undefined> {
    const r = await this.#get(loginIdFor(uid), now);
    if (!r) return undefined;
    if (r.context.uid !== uid || !bindingMatches(bindingSecret, r.context.bindingHash)) throw bindingError();
    return this.#record(r);
  }

  async loadById(loginId: string, now: number): Promise<LoginRecord | undefined> {
    const r = await this.#get(loginId, now);
    return r ? this.#record(r) : undefined;
  }

  async update(record: LoginRecord, patch: LoginPatch, now: number): Promise<LoginRecord> {
    const stored =
      this.#contexts.get(record) ?? (await this.#flows.get<LoginContextData>(record.loginId))?.context;
    if (!stored) throw notFound();
    const context: LoginContextData = {
      ...stored,
      ...(patch.identityId === undefined ? {} : { identityId: patch.identityId }),
      ...(patch.method === undefined ? {} : { method: patch.method }),
    };
    const state = patch.step ?? record.step;
    const version = record.version + 1;
    const updated = await UPDATE.affected(this.#db, {
      id: record.loginId,
      state,
      version,
      expected: record.version,
      now,
      context: JSON.stringify(context),
    });
    if (updated !== 1) {
      const current = await this.#flows.get(record.loginId);
      if (!current || current.kind !== LOGIN_FLOW_KIND) throw notFound();
      throw new ServerError('ERR_FLOW_VERSION', 'the flow changed meanwhile; reload it and try again', {
        status: 409,
        messageId: 'error.flow.changed',
        details: { expectedVersion: record.version, actualVersion: current.version },
      });
    }
    return this.#record({ id: record.loginId, version, expiresAt: record.expiresAt, state, context });
  }
}

function notFound(): ServerError {
  return new ServerError('ERR_FLOW_NOT_FOUND', 'no such login', {
    status: 404,
    messageId: 'error.flow.notFound',
  });
}
