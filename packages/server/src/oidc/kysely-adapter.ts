// oidc-provider's storage port (Adapter) over Kysely, for SQLite and PostgreSQL alike.
// - rows are keyed by SHA-256 of the id: token values, codes and session ids are bearer secrets;
// - payloads are sealed (AES-GCM, model and key as associated data), uid and user code are digests too;
// - `find` honours expiry by the injected clock; `consume` marks a one-time artifact as used.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { SecretBox } from '../crypto/secret-box.ts';
import { LOGIN_STATE, prepare, type Slots } from '../store/prepared-query.ts';
import type { Database } from '../store/schema.ts';

const SEAL_PURPOSE = 'oidc-payload';

/** Models oidc-provider stores through the adapter (`Client` is served by the client repository). */
export const OIDC_MODELS = [
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'Interaction',
  'ReplayDetection',
  'PushedAuthorizationRequest',
  'Grant',
  'BackchannelAuthenticationRequest',
] as const;

type Row = Database['oidc_payloads'];
type Lookup = 'key' | 'uid_key' | 'user_code_key';

// oidc-provider's payloads are sessions, grants, interactions, codes and tokens: login state (LOGIN_STATE,
// prepared-query.ts), as a crash of the database may end a login or session of its last moment. A code's or
// token's consumption is flushed: once reported, it cannot be undone by a crash.

const UPSERT = prepare((db, s: Slots<Row>) => {
  const changed = {
    payload_sealed: s.payload_sealed,
    grant_id: s.grant_id,
    uid_key: s.uid_key,
    user_code_key: s.user_code_key,
    expires_at: s.expires_at,
  };
  return db
    .insertInto('oidc_payloads')
    .values({ model: s.model, key: s.key, consumed_at: s.consumed_at, ...changed })
    .onConflict((oc) => oc.columns(['model', 'key']).doUpdateSet(changed));
}, LOGIN_STATE);

function findBy(column: Lookup) {
  return prepare((db, s: Slots<{ model: string; value: string; now: number }>) =>
    db
      .selectFrom('oidc_payloads')
      .select(['key', 'payload_sealed', 'expires_at', 'consumed_at'])
      .where('model', '=', s.model)
      .where(column, '=', s.value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', s.now)])),
  );
}

const FIND = { key: findBy('key'), uid_key: findBy('uid_key'), user_code_key: findBy('user_code_key') };

const CONSUME = prepare((db, s: Slots<{ model: string; key: string; now: number }>) =>
  db
    .updateTable('oidc_payloads')
    .set({ consumed_at: s.now })
    .where('model', '=', s.model)
    .where('key', '=', s.key),
);

const DESTROY = prepare(
  (db, s: Slots<{ model: string; key: string }>) =>
    db.deleteFrom('oidc_payloads').where('model', '=', s.model).where('key', '=', s.key),
  LOGIN_STATE,
);

export function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

export interface KyselyAdapterDeps {
  readonly db: Kysely<Database>;
  readonly secretBox: SecretBox;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

export class KyselyAdapter implements Adapter {
  readonly #model: string;
  readonly #deps: KyselyAdapterDeps;

  constructor(model: string, deps: KyselyAdapterDeps) {
    this.#model = model;
    this.#deps = deps;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = digest(id);
    await UPSERT.execute(this.#deps.db, {
      model: this.#model,
      key,
      consumed_at: null,
      payload_sealed: this.#deps.secretBox.seal(
        SEAL_PURPOSE,
        JSON.stringify(payload),
        `${this.#model}:${key}`,
      ),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      uid_key: typeof payload.uid === 'string' ? digest(payload.uid) : null,
      user_code_key: typeof payload.userCode === 'string' ? digest(payload.userCode) : null,
      expires_at: typeof expiresIn === 'number' && expiresIn > 0 ? this.#deps.now() + expiresIn * 1000 : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('key', digest(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('uid_key', digest(uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere('user_code_key', digest(userCode));
  }

  async consume(id: string): Promise<void> {
    await CONSUME.execute(this.#deps.db, { model: this.#model, key: digest(id), now: this.#deps.now() });
  }

  async destroy(id: string): Promise<void> {
    await DESTROY.execute(this.#deps.db, { model: this.#model, key: digest(id) });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#deps.db
      .deleteFrom('oidc_payloads')
      .where('model', '=', this.#model)
      .where('grant_id', '=', grantId)
      .execute();
  }

  async #findWhere(column: Lookup, value: string): Promise<AdapterPayload | undefined> {
    const row = await FIND[column].first(this.#deps.db, {
      model: this.#model,
      value,
      now: this.#deps.now(),
    });
    if (!row) return undefined;
    const payload = JSON.parse(
      this.#deps.secretBox.open(SEAL_PURPOSE, row.payload_sealed, `${this.#model}:${row.key}`),
    ) as AdapterPayload;
    if (row.consumed_at !== null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
    return payload;
  }
}

/** Deletes expired artifacts of every model; returns how many rows went. */
export async function deleteExpiredOidcPayloads(db: Kysely<Database>, now: number): Promise<number> {
  const r = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
