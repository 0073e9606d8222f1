// Passwords are hashed with Argon2id (RFC 9106), OWASP's second recommended profile: m = 19 MiB, t = 2, p = 1.
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2;
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/** Argon2's own verification compares in constant time; a malformed hash never matches. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (!stored.startsWith('$argon2id$')) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
