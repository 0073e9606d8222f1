// Wires a test document into a VirtualChip: its files, and the chip sides of BAC, PACE, CA and AA.
import { signAaChallenge } from '../aa/aa-signer.ts';
import { BacChipProtocol } from '../bac/bac-chip-protocol.ts';
import { CaChipProtocol } from '../ca/ca-chip-protocol.ts';
import { curveByName } from '../crypto/ec-curves.ts';
import type { RandomSource } from '../crypto/random.ts';
import { ldsFileByName } from '../lds/lds-file.ts';
import { PaceChipProtocol } from '../pace/pace-chip-protocol.ts';
import type { ChipEf } from './chip-file-system.ts';
import type { TestDocument } from './test-document.ts';
import { VirtualChip } from './virtual-chip.ts';

export interface CreateVirtualChipOptions {
  /** Largest response data field (default 65536). */
  readonly maxResponseLength?: number;
  /** Whether the chip takes extended-length APDUs (default true). */
  readonly extendedLength?: boolean;
  readonly random?: RandomSource;
}

export function createVirtualChip(
  document: TestDocument,
  options: CreateVirtualChipOptions = {},
): VirtualChip {
  const { chip } = document;
  const random = options.random ? { random: options.random } : {};
  const files: ChipEf[] = [...document.files].map(([name, data]) => {
    const f = ldsFileByName(name);
    // ICAO 9303-11 §4: everything in the eMRTD application needs BAC or PACE; the MF files do not.
    return { name, fid: f.fid, sfi: f.sfi, df: f.application, data, protected: f.application === 'eMRTD' };
  });
  const ca = chip.chipAuthentication;
  const aa = chip.activeAuthentication;
  return new VirtualChip({
    files,
    ...(options.maxResponseLength !== undefined ? { maxResponseLength: options.maxResponseLength } : {}),
    ...(options.extendedLength !== undefined ? { extendedLength: options.extendedLength } : {}),
    ...(chip.bac
      ? { bac: () => new BacChipProtocol({ mrzInformation: chip.mrzInformation, ...random }) }
      : {}),
    ...(chip.paceInfos.length > 0
      ? {
          pace: () =>
            new PaceChipProtocol({
              passwords: { mrz: chip.mrzInformation, can: chip.can },
              paceInfos: chip.paceInfos,
              ...random,
            }),
        }
      : {}),
    ...(ca
      ? {
          chipAuthentication: () =>
            new CaChipProtocol({
              curve: curveByName(ca.curve),
              privateKey: ca.privateKey,
              protocol: ca.protocol,
              ...(ca.keyId !== undefined ? { keyId: ca.keyId } : {}),
            }),
        }
      : {}),
    ...(aa
      ? { activeAuthentication: (challenge: Uint8Array) => signAaChallenge(aa, challenge, random) }
      : {}),
  });
}
