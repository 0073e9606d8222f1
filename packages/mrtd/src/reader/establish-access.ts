// Access control for the reader: PACE when EF.CardAccess offers it (ICAO 9303-11 §4.4), BAC with the
// MRZ otherwise or when PACE fails (§4.3; the chip's PACE failure is no reason to give up on BAC).
// Returns a secure messaging transport; nothing else is changed.
import type { CardTransport } from '../apdu/apdu.ts';
import { requireOk } from '../apdu/status-word.ts';
import { performBac } from '../bac/perform-bac.ts';
import type { RandomSource } from '../crypto/random.ts';
import { MrtdError } from '../errors.ts';
import { type PaceInfoInput, performPace } from '../pace/perform-pace.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { EMRTD_AID } from './emrtd-aid.ts';
import { sendCommand } from './read-file.ts';

export type AccessPassword =
  | { readonly kind: 'mrz'; readonly mrzInformation: string }
  | { readonly kind: 'can'; readonly can: string };

export interface EstablishedAccess {
  readonly protocol: 'PACE' | 'BAC';
  readonly transport: SecureMessagingTransport;
  /** The PACEInfo used, for PACE. */
  readonly paceInfo?: PaceInfoInput;
  /** Why PACE was not used although offered (the error code), when BAC took over. */
  readonly paceError?: string;
}

export interface EstablishAccessOptions {
  /** The raw transport to the card (below secure messaging). */
  readonly transport: CardTransport;
  readonly password: AccessPassword;
  /** PACEInfos from EF.CardAccess, in the chip's order; empty when the chip has none. */
  readonly paceInfos: readonly PaceInfoInput[];
  readonly random?: RandomSource;
}

export async function establishAccess(options: EstablishAccessOptions): Promise<EstablishedAccess> {
  const { transport, password } = options;
  const random = options.random ? { random: options.random } : {};
  const pacePassword =
    password.kind === 'mrz'
      ? { kind: 'mrz' as const, value: password.mrzInformation }
      : { kind: 'can' as const, value: password.can };
  let paceError: MrtdError | undefined;
  for (const paceInfo of options.paceInfos) {
    try {
      const { session } = await performPace(transport, { password: pacePassword, paceInfo, ...random });
      return { protocol: 'PACE', transport: new SecureMessagingTransport(transport, session), paceInfo };
    } catch (e) {
      if (!(e instanceof MrtdError) || e.code === 'ERR_TRANSPORT' || e.code === 'ERR_NO_CARD') throw e;
      paceError = e;
      // An unsupported parameter set: try the chip's next PACEInfo. A refused password: stop trying PACE.
      if (e.code !== 'ERR_PACE_UNSUPPORTED' && e.code !== 'ERR_CRYPTO_UNSUPPORTED') break;
    }
  }
  if (password.kind !== 'mrz') {
    throw (
      paceError ??
      new MrtdError(
        'ERR_PACE_UNSUPPORTED',
        'the chip does not offer PACE, and BAC needs the MRZ, not the CAN',
      )
    );
  }
  // ICAO 9303-11 §4.3: BAC runs inside the selected eMRTD application.
  const select = await sendCommand(transport, { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: EMRTD_AID });
  requireOk(select.sw, 'SELECT eMRTD application');
  const session = await performBac(transport, password.mrzInformation, random);
  return {
    protocol: 'BAC',
    transport: new SecureMessagingTransport(transport, session),
    ...(paceError ? { paceError: paceError.code } : {}),
  };
}
