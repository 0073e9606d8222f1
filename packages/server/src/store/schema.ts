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

/** An app instance (DESIGN §2): device public key (JWK), PIN as a keyed hash bound to the instance. */
export interface AppInstancesTable {
  id: string;
  identity_id: string;
  /** 1-3 while not revoked: the unique (identity_id, slot) index enforces the 3-instance limit. */
  slot: number;
  status: string;
  name: string;
  /** JSON text: the P-256 public JWK. */
  public_key: string;
  pin_hash: string;
  pin_failures: number;
  /** The web-push subscription (JSON), sealed with the instance id as associated data. */
  push_sealed: string | null;
  /** `enrollment:<flow id>` or `transfer:<source instance id>`. */
  origin: string;
  transfer_id: string;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
  locked_at: number | null;
  revoked_at: number | null;
  version: number;
}

export interface AppRequestNoncesTable {
  nonce: string;
  expires_at: number;
}

/** The app side of an app-approval login, keyed by the login's public id. */
export interface AppLoginApprovalsTable {
  login_id: string;
  identity_id: string | null;
  client_id: string;
  client_name: string;
  /** JSON text: the scopes asked for. */
  scopes: string;
  qr_secret_hash: string;
  number: string;
  challenge: string;
  status: string;
  opened_by: string | null;
  decided_by: string | null;
  /** JSON text: the factors verified with the approval. */
  factors: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  version: number;
}

/** WebAuthn credentials: the app's biometrics (platform) and the chip (FIDO2 security key). */
export interface WebauthnCredentialsTable {
  /** The credential id, base64url. */
  id: string;
  identity_id: string;
  kind: string;
  app_instance_id: string | null;
  /** base64url COSE public key. */
  public_key: string;
  counter: number;
  /** JSON text */
  transports: string;
  status: string;
  created_at: number;
  last_used_at: number | null;
  version: number;
}

/** Development outbox of app notifications (push messages not sent). */
export interface AppNotificationsTable {
  id: string;
  at: number;
  identity_id: string;
  channel: string;
  recipient: string;
  type: string;
  /** JSON text */
  payload: string;
}

export interface AppVapidKeysTable {
  id: string;
  public_key: string;
  private_key_sealed: string;
  created_at: number;
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
  app_instances: AppInstancesTable;
  app_request_nonces: AppRequestNoncesTable;
  app_login_approvals: AppLoginApprovalsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  app_notifications: AppNotificationsTable;
  app_vapid_keys: AppVapidKeysTable;
}

export type Dialect = 'sqlite' | 'postgres';
