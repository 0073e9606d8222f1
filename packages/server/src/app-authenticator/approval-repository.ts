// Storage of app-approval logins (journey D), keyed by the login's public id. Every status change is a
// compare-and-set: pending → opened (by the app that saw the QR or the number) → approved | rejected →
// consumed (by the browser that started the login); `refused` ends an approval whose QR/number was not seen.
import type { AuthFactor } from '@tillid/core';
import type { Kysely } from 'kysely';
import { LOGIN_STATE, prepare, type Slots } from '../store/prepared-query.ts';
import type { AppLoginApprovalsTable, Database } from '../store/schema.ts';

export type ApprovalStatus = 'pending' | 'opened' | 'approved' | 'rejected' | 'refused' | 'consumed';

export interface ApprovalRow {
  readonly loginId: string;
  readonly identityId: string | null;
  readonly clientId: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly qrSecretHash: string;
  readonly number: string;
  readonly challenge: string;
  readonly status: ApprovalStatus;
  readonly openedBy: string | null;
  readonly decidedBy: string | null;
  readonly factors: readonly AuthFactor[] | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
  readonly version: number;
}

export type ApprovalChange = Partial<Pick<ApprovalRow, 'status' | 'openedBy' | 'decidedBy' | 'factors'>>;

function toRow(r: AppLoginApprovalsTable): ApprovalRow {
  return {
    loginId: r.login_id,
    identityId: r.identity_id,
    clientId: r.client_id,
    clientName: r.client_name,
    scopes: JSON.parse(r.scopes) as string[],
    qrSecretHash: r.qr_secret_hash,
    number: r.number,
    challenge: r.challenge,
    status: r.status as ApprovalStatus,
    openedBy: r.opened_by,
    decidedBy: r.decided_by,
    factors: r.factors === null ? null : (JSON.parse(r.factors) as AuthFactor[]),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    expiresAt: Number(r.expires_at),
    version: Number(r.version),
  };
}

// A login's approval is short-lived login state: its writes are LOGIN_STATE (prepared-query.ts).
const PUT = prepare((db, s: Slots<AppLoginApprovalsTable>) => {
  const renewed = {
    identity_id: s.identity_id,
    client_id: s.client_id,
    client_name: s.client_name,
    scopes: s.scopes,
    qr_secret_hash: s.qr_secret_hash,
    number: s.number,
    challenge: s.challenge,
    status: s.status,
    opened_by: s.opened_by,
    decided_by: s.decided_by,
    factors: s.factors,
    created_at: s.created_at,
    updated_at: s.updated_at,
    expires_at: s.expires_at,
    version: s.version,
  };
  return db
    .insertInto('app_login_approvals')
    .values({ login_id: s.login_id, ...renewed })
    .onConflict((oc) => oc.column('login_id').doUpdateSet(renewed));
}, LOGIN_STATE);
const GET = prepare((db, s: Slots<{ loginId: string }>) =>
  db.selectFrom('app_login_approvals').selectAll().where('login_id', '=', s.loginId),
);
/** A change is a compare-and-set on the version: every changeable field is written, unchanged ones as read. */
const UPDATE = prepare(
  (
    db,
    s: Slots<
      Pick<AppLoginApprovalsTable, 'status' | 'opened_by' | 'decided_by' | 'factors' | 'updated_at'> & {
        loginId: string;
        version: number;
        expected: number;
      }
    >,
  ) =>
    db
      .updateTable('app_login_approvals')
      .set({
        status: s.status,
        opened_by: s.opened_by,
        decided_by: s.decided_by,
        factors: s.factors,
        updated_at: s.updated_at,
        version: s.version,
      })
      .where('login_id', '=', s.loginId)
      .where('version', '=', s.expected),
  LOGIN_STATE,
);

export class ApprovalRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Creates or replaces the approval of `loginId` (a method restarted in the same login gets a fresh one). */
  async put(
    row: Omit<ApprovalRow, 'status' | 'openedBy' | 'decidedBy' | 'factors' | 'version' | 'updatedAt'>,
  ): Promise<ApprovalRow> {
    const values: AppLoginApprovalsTable = {
      login_id: row.loginId,
      identity_id: row.identityId,
      client_id: row.clientId,
      client_name: row.clientName,
      scopes: JSON.stringify(row.scopes),
      qr_secret_hash: row.qrSecretHash,
      number: row.number,
      challenge: row.challenge,
      status: 'pending',
      opened_by: null,
      decided_by: null,
      factors: null,
      created_at: row.createdAt,
      updated_at: row.createdAt,
      expires_at: row.expiresAt,
      version: 1,
    };
    await PUT.execute(this.#db, values);
    return toRow(values);
  }

  async get(loginId: string): Promise<ApprovalRow | undefined> {
    const r = await GET.first(this.#db, { loginId });
    return r ? toRow(r) : undefined;
  }

  /** Open approvals of an identity (what its apps may show), newest first. */
  async pendingFor(identityId: string, now: number): Promise<ApprovalRow[]> {
    const rows = await this.#db
      .selectFrom('app_login_approvals')
      .selectAll()
      .where('identity_id', '=', identityId)
      .where('status', 'in', ['pending', 'opened'])
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .limit(10)
      .execute();
    return rows.map(toRow);
  }

  async update(row: ApprovalRow, change: ApprovalChange, now: number): Promise<boolean> {
    const factors = change.factors === undefined ? row.factors : change.factors;
    const updated = await UPDATE.affected(this.#db, {
      loginId: row.loginId,
      expected: row.version,
      version: row.version + 1,
      updated_at: now,
      status: change.status ?? row.status,
      opened_by: change.openedBy === undefined ? row.openedBy : change.openedBy,
      decided_by: change.decidedBy === undefined ? row.decidedBy : change.decidedBy,
      factors: factors === null ? null : JSON.stringify(factors),
    });
    return updated === 1;
  }

  async deleteExpired(now: number): Promise<number> {
    const r = await this.#db
      .deleteFrom('app_login_approvals')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
