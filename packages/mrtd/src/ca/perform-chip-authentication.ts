// Terminal side of Chip Authentication v1 (ICAO 9303-11 §6.2): ephemeral ECDH with the chip's DG14 key,
// sent by MSE:Set KAT (3DES) or MSE:Set AT + GENERAL AUTHENTICATE (AES), then new session keys.
import { type CardTransport, type CommandApdu, decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { encodeOid } from '../asn1/oid.ts';
import { concatBytes } from '../bytes.ts';
import { decodePoint, encodePoint, randomScalar, xCoordinate } from '../crypto/ec-curves.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { parseSpki } from '../crypto/spki.ts';
import { MrtdError } from '../errors.ts';
import type { SmSession } from '../sm/secure-messaging.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { caParameters, caSession, DEFAULT_CA_ECDH_OID, keyIdBytes } from './ca-parameters.ts';
import { type CaPublicKeyInfo, ID_CA, ID_PK_ECDH, readDg14ProtocolInfos } from './dg14-protocol-infos.ts';

export interface ChipAuthenticationOptions {
  /** EF.DG14 as read (and verified by passive authentication). */
  readonly dg14: Uint8Array;
  /** Which chip key to use when DG14 holds several. */
  readonly keyId?: number;
  /**
   * The command form. Default per §6.2.4: MSE:Set KAT for 3DES, MSE:Set AT + GENERAL AUTHENTICATE for
   * AES. Some 3DES chips expect the AT form (the Malaysian trace does).
   */
  readonly command?: 'kat' | 'at';
  /** Source for the ephemeral private key; defaults to a CSPRNG. */
  readonly random?: RandomSource;
}

function fail(message: string, details?: Record<string, unknown>, cause?: unknown): never {
  throw new MrtdError('ERR_CA_FAILED', message, {
    ...(details ? { details } : {}),
    ...(cause ? { cause } : {}),
  });
}

async function send(transport: CardTransport, cmd: CommandApdu, what: string): Promise<Uint8Array> {
  const r = decodeResponseApdu(await transport.transmit(encodeCommandApdu(cmd)));
  if (r.sw !== SW.OK) fail(`${what}: card answered ${r.sw.toString(16).padStart(4, '0')}`, { sw: r.sw });
  return r.data;
}

/**
 * Runs Chip Authentication over `transport`, which must already be the secure messaging transport of
 * the current session (BAC or PACE): both commands go out under the old keys. Returns the new session;
 * use it with `SecureMessagingTransport.withSession`.
 */
export async function performChipAuthentication(
  transport: CardTransport,
  options: ChipAuthenticationOptions,
): Promise<SmSession> {
  const infos = readDg14ProtocolInfos(options.dg14);
  const keys = infos.chipAuthenticationPublicKeys.filter(
    (k) => k.protocol === ID_PK_ECDH && (options.keyId === undefined || k.keyId === options.keyId),
  );
  const key: CaPublicKeyInfo | undefined = keys[0];
  if (!key || keys.length > 1) {
    throw new MrtdError(
      key ? 'ERR_USAGE' : 'ERR_CRYPTO_UNSUPPORTED',
      key
        ? 'DG14 holds several ECDH chip keys: choose one by keyId'
        : 'DG14 holds no ECDH chip authentication key',
    );
  }
  const ecdh = `${ID_CA}.2.`; // id-CA-ECDH-* (§9.2.5)
  const info =
    infos.chipAuthentication.find((i) => i.protocol.startsWith(ecdh) && i.keyId === key.keyId) ??
    infos.chipAuthentication.find((i) => i.protocol.startsWith(ecdh));
  const params = caParameters(info?.protocol ?? DEFAULT_CA_ECDH_OID);
  const spki = parseSpki(key.subjectPublicKeyInfo, 'ERR_CA_FAILED');
  if (!spki.curve)
    throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', 'chip authentication key on an unsupported curve');
  const curve = spki.curve;
  const chipKey = decodePoint(curve, spki.publicKey, 'ERR_CA_FAILED');

  // §6.2.3: an ephemeral key pair on the chip's domain parameters.
  const sk = randomScalar(curve, options.random ?? secureRandom);
  const pk = encodePoint(curve.ecdsa.Point.BASE.multiply(sk));
  const keyRef = key.keyId !== undefined ? encodeTlv(0x84, keyIdBytes(key.keyId)) : new Uint8Array(0);
  const form = options.command ?? (params.cipher === '3DES' ? 'kat' : 'at');
  if (form === 'kat') {
    // §6.2.4.1 MSE:Set KAT: 91 ephemeral public key, 84 key id.
    await send(
      transport,
      { cla: 0, ins: 0x22, p1: 0x41, p2: 0xa6, data: concatBytes(encodeTlv(0x91, pk), keyRef) },
      'MSE:Set KAT',
    );
  } else {
    // §6.2.4.2 MSE:Set AT (80 protocol, 84 key id), then GENERAL AUTHENTICATE with 7C { 80 public key }.
    await send(
      transport,
      {
        cla: 0,
        ins: 0x22,
        p1: 0x41,
        p2: 0xa4,
        data: concatBytes(encodeTlv(0x80, encodeOid(params.oid)), keyRef),
      },
      'MSE:Set AT',
    );
    await send(
      transport,
      { cla: 0, ins: 0x86, p1: 0, p2: 0, data: encodeTlv(0x7c, encodeTlv(0x80, pk)), ne: 256 },
      'GENERAL AUTHENTICATE',
    );
  }
  return caSession(params, xCoordinate(curve, chipKey.multiply(sk)));
}
