// The reader's chip authentication (ICAO 9303-11 §6.2) and active authentication (§6.1) steps over an
// established access: CA switches to new session keys, AA returns the chip's signature for the verifier.

import { performActiveAuthentication } from '../aa/perform-active-authentication.ts';
import { readDg14ProtocolInfos } from '../ca/dg14-protocol-infos.ts';
import { performChipAuthentication } from '../ca/perform-chip-authentication.ts';
import type { RandomSource } from '../crypto/random.ts';
import type { EstablishedAccess } from './establish-access.ts';

/** Runs CA when DG14 offers an ECDH chip key; undefined when it offers none. */
export async function performChipAuthenticationStep(
  access: EstablishedAccess,
  dg14: Uint8Array,
  random?: RandomSource,
): Promise<EstablishedAccess | undefined> {
  const infos = readDg14ProtocolInfos(dg14);
  if (infos.chipAuthenticationPublicKeys.length === 0) return undefined;
  const session = await performChipAuthentication(access.transport, { dg14, ...(random ? { random } : {}) });
  // §6.2: every later command runs under the new keys, starting with SSC 0.
  return { ...access, transport: access.transport.withSession(session) };
}

export async function performActiveAuthenticationStep(
  access: EstablishedAccess,
  challenge: Uint8Array,
): Promise<Uint8Array> {
  return performActiveAuthentication(access.transport, challenge);
}
