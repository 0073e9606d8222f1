// Table types of the Tillid database, shared by SQLite and PostgreSQL. Times are epoch milliseconds;
// JSON columns hold text so both stores treat them alike.
export interface FlowsTable {
  id: string;
  kind: string;
  state: string;
  version: number;
  expires_at: number;
  /** JSON text: the flow's private context, never sent to clients as is. */
  context: string;
  created_at: number;
  updated_at: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  at: number;
  type: string;
  actor: string | null;
  subject: string | null;
  /** JSON text */
  data: string;
  prev_hash: string;
  hash: string;
}

export interface SmsOutboxTable {
  id: string;
  at: number;
  to_number: string;
  text: string;
}

export interface PcodesTable {
  id: string;
  code_hash: string;
  person_sealed: string;
  issued_by: string;
  issued_at: number;
  expires_at: number;
  failed_attempts: number;
  used_at: number | null;
  version: number;
}

export interface IdentitiesTable {
  id: string;
  status: string;
  cpr_lookup: string | null;
  document_lookup: string;
  user_id_lookup: string | null;
  pii_sealed: string;
  assurance: string;
  /** JSON text: verification results (scores, report codes), never images or raw chip files. */
  evidence: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface OidcPayloadsTable {
  model: string;
  /** SHA-256 (base64url) of the model's id: tokens, codes and session ids are bearer secrets. */
  key: string;
  /** The oidc-provider payload as JSON, sealed with the secret box (AAD: model and key). */
  payload_sealed: string;
  grant_id: string | null;
  uid_key: string | null;
  user_code_key: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OidcClientsTable {
  id: string;
  /** JSON text: the client metadata without its secret. */
  metadata: string;
  secret_sealed: string | null;
  created_at: number;
  updated_at: number;
}

export interface OidcSigningKeysTable {
  kid: string;
  alg: string;
  /** `active` signs; `retiring` is only published for verification until `retire_at`. */
  status: string;
  private_jwk_sealed: string;
  created_at: number;
  retire_at: number | null;
}

/** A code display or code reader (journey C); the TOTP secret is sealed with the serial as associated data. */
export interface TokensTable {
  serial: string;
  model: string;
  manufacturer: string | null;
  algorithm: string;
  digits: number;
  period_seconds: number;
  secret_sealed: string;
  status: string;
  identity_id: string | null;
  imported_at: number;
  activated_at: number | null;
  revoked_at: number | null;
  /** The RFC 6238 time step of the last accepted code: each code is accepted once. */
  last_counter: number | null;
  failed_attempts: number;
  blocked_until: number | null;
  version: number;
}

export interface TokenOrdersTable {
  id: string;
  identity_id: string;
  model: string;
  language: string;
  address_sealed: string;
  status: string;
  serial: string | null;
  /** 0 or 1: the first 3 devices of an identity are free. */
  fee_required: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface TokenPasswordsTable {
  identity_id: string;
  password_hash: string;
  strength: number;
  updated_at: number;
}

export interface Database {
  flows: FlowsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  sms_outbox: SmsOutboxTable;
  pcodes: PcodesTable;
  identities: IdentitiesTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_clients: OidcClientsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  tokens: TokensTable;
  token_orders: TokenOrdersTable;
  token_passwords: TokenPasswordsTable;
}

export type Dialect = 'sqlite' | 'postgres';
