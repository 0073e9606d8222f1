// Shared by the tests of this directory: the PSKC fixtures, their keys and secrets, and a store per database.
import { readFileSync } from 'node:fs';
import type { TestDatabase } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { isServerError } from '../errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { codeAt, timeStep } from './totp.ts';

export const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/pskc/${name}`, import.meta.url), 'utf8');

/** RFC 6030 §6.1 (Figure 6) pre-shared key, also used by tillid-totp-encrypted.pskcxml. */
export const FIGURE6_PSK = new Uint8Array(Buffer.from('12345678901234567890123456789012', 'hex'));
/** The secret of TEST-0001 / TEST-1001: the RFC 6238 Appendix B SHA-1 seed. */
export const TEST_0001_SECRET = new TextEncoder().encode('12345678901234567890');
export const TEST_0002_SECRET = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);

export const isCode = (code: string) => (e: unknown) =>
  isServerError(e) || (typeof e === 'object' && e !== null && 'code' in e)
    ? (e as { code: string }).code === code
    : false;

/** A fixed moment in the middle of a 30-second step. */
export const T0 = 1_700_000_010_000;

export function codeFor(secret: Uint8Array, at: number, stepOffset = 0): string {
  return codeAt({ secret }, timeStep(at) + stepOffset);
}

export async function openTestStore(database: TestDatabase) {
  const created = await database.create();
  const store: Store = await openStore(created.target);
  const secretBox = new SecretBox(new Uint8Array(32).fill(7));
  return {
    store,
    secretBox,
    close: async () => {
      await store.close();
      await created.drop();
    },
  };
}
