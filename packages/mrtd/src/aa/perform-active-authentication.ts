// Terminal side of Active Authentication (ICAO 9303-11 §6.1.2): INTERNAL AUTHENTICATE with an 8-byte
// challenge; the signature is checked by verifyActiveAuthentication (on the server, for a server nonce).
import { type CardTransport, decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { MrtdError } from '../errors.ts';

export async function performActiveAuthentication(
  transport: CardTransport,
  challenge: Uint8Array,
  options: { ne?: number } = {},
): Promise<Uint8Array> {
  if (challenge.length !== 8) throw new MrtdError('ERR_USAGE', 'the AA challenge has 8 bytes (§6.1.2)');
  const r = decodeResponseApdu(
    await transport.transmit(
      encodeCommandApdu({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: options.ne ?? 256 }),
    ),
  );
  if (r.sw !== SW.OK || r.data.length === 0) {
    throw new MrtdError(
      'ERR_AA_FAILED',
      `INTERNAL AUTHENTICATE answered ${r.sw.toString(16).padStart(4, '0')}`,
      {
        details: { sw: r.sw },
      },
    );
  }
  return r.data;
}
