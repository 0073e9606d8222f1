// The store a server runs on: the database plus its repositories, opened and closed together.
import type { Kysely } from 'kysely';
import { AppInstanceRepository } from '../app-authenticator/app-instance-repository.ts';
import { ApprovalRepository } from '../app-authenticator/approval-repository.ts';
import { WebauthnCredentialRepository } from '../app-authenticator/webauthn-credential-repository.ts';
import { TokenOrderRepository } from '../tokens/order-repository.ts';
import { TokenPasswordRepository } from '../tokens/token-password-repository.ts';
import { TokenRepository } from '../tokens/token-repository.ts';
import { AuditRepository } from './audit-repository.ts';
import {
  type DatabaseTarget,
  migrateToLatest,
  type OpenOptions,
  openDatabase,
  pingDatabase,
} from './database.ts';
import { FlowRepository } from './flow-repository.ts';
import { IdentityRepository } from './identity-repository.ts';
import { PcodeRepository } from './pcode-repository.ts';
import { RateLimitRepository } from './rate-limit-repository.ts';
import type { Database, Dialect } from './schema.ts';
import { SmsOutboxRepository } from './sms-outbox-repository.ts';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly flows: FlowRepository;
  readonly rateLimits: RateLimitRepository;
  readonly audit: AuditRepository;
  readonly smsOutbox: SmsOutboxRepository;
  readonly pcodes: PcodeRepository;
  readonly identities: IdentityRepository;
  readonly tokens: TokenRepository;
  readonly tokenOrders: TokenOrderRepository;
  readonly tokenPasswords: TokenPasswordRepository;
  readonly appInstances: AppInstanceRepository;
  readonly appApprovals: ApprovalRepository;
  readonly webauthnCredentials: WebauthnCredentialRepository;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(
  target: DatabaseTarget,
  options: { readonly migrate?: boolean } & OpenOptions = {},
): Promise<Store> {
  const { migrate, ...open } = options;
  const { db, dialect } = openDatabase(target, open);
  try {
    if (migrate ?? true) await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  let closed = false;
  return {
    db,
    dialect,
    flows: new FlowRepository(db),
    rateLimits: new RateLimitRepository(db),
    audit: new AuditRepository(db, dialect),
    smsOutbox: new SmsOutboxRepository(db),
    pcodes: new PcodeRepository(db),
    identities: new IdentityRepository(db),
    tokens: new TokenRepository(db),
    tokenOrders: new TokenOrderRepository(db),
    tokenPasswords: new TokenPasswordRepository(db),
    appInstances: new AppInstanceRepository(db),
    appApprovals: new ApprovalRepository(db),
    webauthnCredentials: new WebauthnCredentialRepository(db),
    ping: () => pingDatabase(db),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
