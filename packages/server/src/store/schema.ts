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

export interface Database {
  flows: FlowsTable;
  rate_limits: RateLimitsTable;
  audit_events: AuditEventsTable;
  sms_outbox: SmsOutboxTable;
  pcodes: PcodesTable;
  identities: IdentitiesTable;
}

export type Dialect = 'sqlite' | 'postgres';
