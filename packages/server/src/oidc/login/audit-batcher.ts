// Groups the audit events of concurrent logins into one transaction. The audit chain is serialised (one
// head, a lock on PostgreSQL), so one transaction and one commit per login made every node queue behind
// the lock; a batch pays for the lock, the head read, the insert and the commit once. Each caller still
// waits until its own event is committed, so no login finishes without its audit event.
import type { AuditEventInput, AuditRepository } from '../../store/audit-repository.ts';

/** What the login routes need of the audit log. */
export interface AuditSink {
  append(input: AuditEventInput, now: number): Promise<unknown>;
}

interface Pending {
  readonly input: AuditEventInput;
  readonly now: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Rows per insert: well under SQLite's bound-parameter limit (9 columns per event). */
const MAX_BATCH = 200;

export class AuditBatcher implements AuditSink {
  readonly #audit: Pick<AuditRepository, 'appendMany'>;
  #queue: Pending[] = [];
  #draining = false;

  constructor(audit: Pick<AuditRepository, 'appendMany'>) {
    this.#audit = audit;
  }

  append(input: AuditEventInput, now: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ input, now, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  /** One batch at a time: events that arrive while a batch commits go into the next one. */
  async #drain(): Promise<void> {
    this.#draining = true;
    // Let the other requests of this turn of the event loop add theirs first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        await this.#audit.appendMany(batch.map(({ input, now }) => ({ input, now })));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#draining = false;
  }
}
