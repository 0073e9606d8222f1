// Relying services (OIDC clients): their metadata schema, the clients file (TILLID_OIDC_CLIENTS), the
// database registry behind `tillid clients`, and the oidc-provider adapter that serves them.
// Client secrets are sealed, not hashed: client_secret_basic/post compare the presented secret with the
// registered one, so the provider must be able to recover it (docs/oidc.md, "Client secrets").
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload, ClientMetadata as ProviderClientMetadata } from 'oidc-provider';
import { z } from 'zod';
import type { Mode } from '../config/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Database } from '../store/schema.ts';

const SECRET_PURPOSE = 'oidc-client-secret';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;

export const clientSchema = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{3,64}$/, 'use 3-64 letters, digits and . _ ~ -'),
    client_name: z.string().trim().min(1).max(100).optional(),
    /** 32+ characters; required by client_secret_basic/post, absent for public and private_key_jwt clients. */
    client_secret: z.string().min(32).max(256).optional(),
    redirect_uris: z.array(z.url()).min(1).max(20),
    post_logout_redirect_uris: z.array(z.url()).max(20).optional(),
    token_endpoint_auth_method: z.enum(CLIENT_AUTH_METHODS).default('client_secret_basic'),
    /** Public keys for private_key_jwt. */
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
    jwks_uri: z.url().optional(),
    /** `pairwise`: the service gets a per-sector `sub` instead of the identity's uuid. */
    subject_type: z.enum(['public', 'pairwise']).default('public'),
    sector_identifier_uri: z.url().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsSecret = c.token_endpoint_auth_method.startsWith('client_secret_');
    if (needsSecret && c.client_secret === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: `required by ${c.token_endpoint_auth_method}`,
      });
    if (!needsSecret && c.client_secret !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: `not used by ${c.token_endpoint_auth_method}`,
      });
    if (c.token_endpoint_auth_method === 'private_key_jwt' && !c.jwks && !c.jwks_uri)
      ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'private_key_jwt needs jwks or jwks_uri' });
  });

export type ClientInput = z.input<typeof clientSchema>;
export type ClientMetadata = z.output<typeof clientSchema>;

function invalid(message: string, issues?: readonly { path: string; message: string }[]): ServerError {
  return new ServerError('ERR_OIDC_CLIENT_INVALID', message, {
    status: 400,
    ...(issues ? { details: { issues } } : {}),
  });
}

/** Validates one client; production accepts only https redirect URIs, development also http on loopback. */
export function parseClient(input: unknown, mode: Mode): ClientMetadata {
  const r = clientSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw invalid(`invalid client: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  for (const uri of [...r.data.redirect_uris, ...(r.data.post_logout_redirect_uris ?? [])]) {
    const u = new URL(uri);
    if (u.hash !== '') throw invalid(`redirect URI ${uri} must not have a fragment`);
    const loopbackHttp = u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
    if (u.protocol !== 'https:' && !(mode === 'development' && loopbackHttp))
      throw invalid(
        `redirect URI ${uri} must use https${mode === 'development' ? ' (or http on localhost)' : ''}`,
      );
  }
  return r.data;
}

/** Reads the clients file: a JSON array of clients, or `{ "clients": [...] }`. */
export function loadClientsFile(path: string, mode: Mode): ClientMetadata[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ServerError('ERR_CONFIG', `TILLID_OIDC_CLIENTS: cannot read ${path} as JSON`, { cause });
  }
  const list =
    parsed !== null && typeof parsed === 'object' && 'clients' in parsed
      ? (parsed as { clients: unknown }).clients
      : parsed;
  if (!Array.isArray(list))
    throw new ServerError('ERR_CONFIG', `TILLID_OIDC_CLIENTS: ${path} holds no client list`);
  const clients = list.map((c, i) => {
    try {
      return parseClient(c, mode);
    } catch (e) {
      throw new ServerError('ERR_CONFIG', `TILLID_OIDC_CLIENTS: client #${i + 1}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  });
  const ids = new Set<string>();
  for (const c of clients) {
    if (ids.has(c.client_id))
      throw new ServerError('ERR_CONFIG', `TILLID_OIDC_CLIENTS: ${c.client_id} appears twice`);
    ids.add(c.client_id);
  }
  return clients;
}

/** oidc-provider metadata of a registered client: code flow only, PKCE enforced by the provider. */
export function toProviderMetadata(c: ClientMetadata): ProviderClientMetadata {
  const { client_secret, ...rest } = c;
  return {
    ...(rest as Omit<ClientMetadata, 'client_secret' | 'jwks'> & { jwks?: ProviderClientMetadata['jwks'] }),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...(client_secret === undefined ? {} : { client_secret }),
  };
}

/** A new random client secret (256 bits, base64url). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface StoredClient {
  readonly metadata: ClientMetadata;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Clients registered with `tillid clients add`, kept in the database with their secrets sealed. */
export class OidcClientRepository {
  readonly #db: Kysely<Database>;
  readonly #box: SecretBox;

  constructor(db: Kysely<Database>, secretBox: SecretBox) {
    this.#db = db;
    this.#box = secretBox;
  }

  /** Adds or replaces the client with this id. */
  async put(client: ClientMetadata, now: number): Promise<void> {
    const { client_secret, ...metadata } = client;
    const row = {
      metadata: JSON.stringify(metadata),
      secret_sealed:
        client_secret === undefined ? null : this.#box.seal(SECRET_PURPOSE, client_secret, client.client_id),
      updated_at: now,
    };
    await this.#db
      .insertInto('oidc_clients')
      .values({ id: client.client_id, created_at: now, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async get(id: string): Promise<StoredClient | undefined> {
    const row = await this.#db.selectFrom('oidc_clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const metadata = JSON.parse(row.metadata) as Omit<ClientMetadata, 'client_secret'>;
    const secret =
      row.secret_sealed === null ? undefined : this.#box.open(SECRET_PURPOSE, row.secret_sealed, row.id);
    return {
      metadata: { ...metadata, ...(secret === undefined ? {} : { client_secret: secret }) },
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  /** Every client, without secrets. */
  async list(): Promise<Array<Omit<ClientMetadata, 'client_secret'> & { created_at: number }>> {
    const rows = await this.#db.selectFrom('oidc_clients').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      ...(JSON.parse(r.metadata) as Omit<ClientMetadata, 'client_secret'>),
      created_at: Number(r.created_at),
    }));
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('oidc_clients').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}

/** oidc-provider's `Client` model: read-only lookups in the registry (dynamic registration is off). */
export class ClientAdapter implements Adapter {
  readonly #clients: OidcClientRepository;

  constructor(clients: OidcClientRepository) {
    this.#clients = clients;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const c = await this.#clients.get(id);
    return c ? toProviderMetadata(c.metadata) : undefined;
  }

  async upsert(): Promise<void> {}
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}
