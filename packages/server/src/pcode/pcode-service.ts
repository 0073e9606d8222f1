// Issuing and checking P-codes (DESIGN §2: 8 digits, valid 60 days, 3 attempts, one successful use).
// The code is shown once to the operator; the store keeps only its keyed hash and the sealed person data.
import { randomUUID } from 'node:crypto';
import { decidePcodeAttempt, generatePcode, PCODE_POLICY, parsePcode, type RuleError } from '@tillid/core';
import { z } from 'zod';
import { keyedHash } from '../crypto/keyed-hash.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';

export const pcodePersonSchema = z.object({
  name: z.string().trim().min(1).max(200),
  birthDate: z.iso.date(),
  documentNumber: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((s) => s.toUpperCase().replace(/\s+/g, '')),
  nationality: z
    .string()
    .regex(/^[A-Z<]{3}$/)
    .optional(),
});

export type PcodePerson = z.infer<typeof pcodePersonSchema>;

export interface PcodeDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly now: () => number;
}

export interface IssuedPcode {
  readonly id: string;
  /** Shown once: the store does not keep it. */
  readonly code: string;
  readonly expiresAt: number;
}

const SEAL_PURPOSE = 'pcode-person';

/** Issues a P-code for a person; records an audit event naming the issuer (no PII in the audit). */
export async function issuePcode(
  deps: PcodeDeps,
  input: { person: PcodePerson; issuedBy: string },
): Promise<IssuedPcode> {
  const person = pcodePersonSchema.parse(input.person);
  const now = deps.now();
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = generatePcode();
    const id = randomUUID();
    const inserted = await deps.store.pcodes.insert({
      id,
      codeHash: keyedHash(deps.hmacKey, 'pcode', code),
      personSealed: deps.secretBox.seal(SEAL_PURPOSE, JSON.stringify(person), id),
      issuedBy: input.issuedBy,
      issuedAt: now,
      expiresAt: now + PCODE_POLICY.validityMs,
    });
    if (inserted) {
      await deps.store.audit.append(
        { type: 'pcode.issued', actor: input.issuedBy, subject: `pcode:${id}` },
        now,
      );
      return { id, code, expiresAt: now + PCODE_POLICY.validityMs };
    }
  }
  throw new ServerError('ERR_INTERNAL', 'could not draw a free P-code');
}

export type PcodeCheck =
  | { readonly ok: true; readonly id: string; readonly person: PcodePerson; readonly version: number }
  | { readonly ok: false; readonly error: RuleError };

/**
 * Looks an entered P-code up. An unknown code is ERR_PCODE_WRONG (counted by the caller per flow and per
 * source); a known one answers expired / exhausted / used by the rules, before any match is reported.
 */
export async function checkPcode(deps: PcodeDeps, entered: string): Promise<PcodeCheck> {
  const parsed = parsePcode(entered);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const row = await deps.store.pcodes.findByHash(keyedHash(deps.hmacKey, 'pcode', parsed.value));
  if (!row) return { ok: false, error: { code: 'ERR_PCODE_WRONG', messageId: 'error.pcode.wrong' } };
  const decision = decidePcodeAttempt(
    {
      issuedAt: new Date(row.issuedAt),
      usedAt: row.usedAt === null ? null : new Date(row.usedAt),
      failedAttempts: row.failedAttempts,
    },
    { matches: true, now: new Date(deps.now()) },
  );
  if (decision.outcome !== 'ok') return { ok: false, error: decision.error };
  const person = pcodePersonSchema.parse(
    JSON.parse(deps.secretBox.open(SEAL_PURPOSE, row.personSealed, row.id)),
  );
  return { ok: true, id: row.id, person, version: row.version };
}

/** The chip's data did not match the P-code's person: one of its 3 attempts is used up. */
export async function recordPcodeMismatch(deps: PcodeDeps, id: string): Promise<{ attemptsLeft: number }> {
  const row = await deps.store.pcodes.get(id);
  if (!row) throw new ServerError('ERR_NOT_FOUND', 'P-code not found', { status: 404 });
  const decision = decidePcodeAttempt(
    {
      issuedAt: new Date(row.issuedAt),
      usedAt: row.usedAt === null ? null : new Date(row.usedAt),
      failedAttempts: row.failedAttempts,
    },
    { matches: false, now: new Date(deps.now()) },
  );
  if (decision.next) {
    await deps.store.pcodes.updateState(id, row.version, {
      failedAttempts: decision.next.failedAttempts,
      usedAt: row.usedAt,
    });
  }
  return { attemptsLeft: decision.attemptsLeft };
}

/** The single successful use. */
export async function markPcodeUsed(deps: PcodeDeps, id: string, expectedVersion: number): Promise<void> {
  const row = await deps.store.pcodes.get(id);
  if (!row || row.usedAt !== null)
    throw new ServerError('ERR_CONFLICT', 'P-code already used', { status: 409 });
  await deps.store.pcodes.updateState(id, expectedVersion, {
    failedAttempts: row.failedAttempts,
    usedAt: deps.now(),
  });
  await deps.store.audit.append({ type: 'pcode.used', subject: `pcode:${id}` }, deps.now());
}
