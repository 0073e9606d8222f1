// Hashing for passive authentication and test-document signing, with node:crypto (Node only: the
// browser entry verifies nothing, the server does, DESIGN §4).
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './oids.ts';

export function digest(name: HashAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(name).update(data).digest());
}
