// Terminal side of PACE (ICAO 9303-11 §4.4) with ECDH generic mapping (and PACE-CAM, TR-03110-2 §3.4):
// MSE:Set AT, then four GENERAL AUTHENTICATE steps; returns the new secure messaging session.
import { type CardTransport, type CommandApdu, decodeResponseApdu, encodeCommandApdu } from '../apdu/apdu.ts';
import { SW } from '../apdu/status-word.ts';
import { encodeOid } from '../asn1/oid.ts';
import { concatBytes, constantTimeEqual } from '../bytes.ts';
import { aesCbcDecrypt } from '../crypto/aes.ts';
import {
  decodePoint,
  type EcCurve,
  type EcPoint,
  encodePoint,
  randomScalar,
  xCoordinate,
} from '../crypto/ec-curves.ts';
import { unpad } from '../crypto/padding.ts';
import { type RandomSource, secureRandom } from '../crypto/random.ts';
import { MrtdError } from '../errors.ts';
import type { SmSession } from '../sm/secure-messaging.ts';
import { decodeTlv, decodeTlvSequence, encodeTlv, findTlv } from '../tlv/tlv.ts';
import {
  authenticationToken,
  camIv,
  decryptNonce,
  genericMapping,
  PASSWORD_REFERENCE,
  type PacePassword,
  paceSessionKeys,
  paceSmSession,
  passwordKey,
} from './pace-crypto.ts';
import { type PaceParameters, paceParameters } from './pace-parameters.ts';

export interface PaceInfoInput {
  /** The PACEInfo protocol OID, e.g. 0.4.0.127.0.7.2.2.4.2.2. */
  readonly protocol: string;
  /** Standardized domain parameter id (§9.5.1); required for ECDH here. */
  readonly parameterId?: number;
}

export interface PaceOptions {
  readonly password: PacePassword;
  readonly paceInfo: PaceInfoInput;
  /** Source for the ephemeral private keys (mapping first, then key agreement); defaults to a CSPRNG. */
  readonly random?: RandomSource;
}

export interface PaceResult {
  readonly session: SmSession;
  readonly parameters: PaceParameters;
  /** The chip's ephemeral key-agreement public key PK_IC (uncompressed point). */
  readonly chipPublicKey: Uint8Array;
  /** The chip's mapping public key (PACE-CAM checks it against CA_IC · PK_IC,static). */
  readonly chipMappingPublicKey: Uint8Array;
  /** PACE-CAM only: the decrypted chip authentication data CA_IC. */
  readonly chipAuthenticationData?: Uint8Array;
}

function fail(message: string, details?: Record<string, unknown>, cause?: unknown): never {
  throw new MrtdError('ERR_PACE_FAILED', message, {
    ...(details ? { details } : {}),
    ...(cause ? { cause } : {}),
  });
}

async function exchange(transport: CardTransport, cmd: CommandApdu, what: string): Promise<Uint8Array> {
  const r = decodeResponseApdu(await transport.transmit(encodeCommandApdu(cmd)));
  if (r.sw !== SW.OK)
    fail(`${what}: card answered ${r.sw.toString(16).padStart(4, '0')}`, { sw: r.sw, step: what });
  return r.data;
}

/** §4.4.4.2: GENERAL AUTHENTICATE with dynamic authentication data 7C; returns the 7C children. */
async function generalAuthenticate(
  transport: CardTransport,
  body: Uint8Array,
  last: boolean,
  what: string,
): Promise<ReturnType<typeof decodeTlvSequence>> {
  const data = await exchange(
    transport,
    // Command chaining (CLA 10) for every step but the last.
    { cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0, p2: 0, data: encodeTlv(0x7c, body), ne: 256 },
    what,
  );
  try {
    const outer = decodeTlv(data);
    if (outer.tag !== 0x7c || outer.raw.length !== data.length)
      fail(`${what}: response is not one 7C object`);
    return decodeTlvSequence(outer.value);
  } catch (e) {
    if (e instanceof MrtdError && e.code === 'ERR_PACE_FAILED') throw e;
    return fail(`${what}: malformed dynamic authentication data`, undefined, e);
  }
}

function requireValue(dos: ReturnType<typeof decodeTlvSequence>, tag: number, what: string): Uint8Array {
  const t = findTlv(dos, tag);
  if (!t) fail(`${what}: tag ${tag.toString(16)} missing`);
  return t.value;
}

export async function performPace(transport: CardTransport, options: PaceOptions): Promise<PaceResult> {
  const { paceInfo, password } = options;
  const random = options.random ?? secureRandom;
  if (paceInfo.parameterId === undefined) {
    throw new MrtdError('ERR_PACE_UNSUPPORTED', 'PACEInfo without a standardized domain parameter id');
  }
  const params = paceParameters(paceInfo.protocol, paceInfo.parameterId);
  const curve = params.curve;
  if (params.agreement !== 'ECDH' || params.mapping === 'IM' || curve === undefined) {
    throw new MrtdError(
      'ERR_PACE_UNSUPPORTED',
      `PACE ${params.agreement}-${params.mapping} with parameter id ${params.parameterId} is not implemented`,
    );
  }

  // §4.4.4.1 MSE:Set AT: protocol OID, password reference, domain parameter id.
  await exchange(
    transport,
    {
      cla: 0x00,
      ins: 0x22,
      p1: 0xc1,
      p2: 0xa4,
      data: concatBytes(
        encodeTlv(0x80, encodeOid(params.oid)),
        encodeTlv(0x83, Uint8Array.of(PASSWORD_REFERENCE[password.kind])),
        encodeTlv(0x84, Uint8Array.of(params.parameterId)),
      ),
    },
    'MSE:Set AT',
  );

  // §4.4.3.1: the chip's encrypted nonce z, decrypted with K_π.
  const kPi = passwordKey(params, password);
  const step1 = await generalAuthenticate(
    transport,
    new Uint8Array(0),
    false,
    'GENERAL AUTHENTICATE (nonce)',
  );
  const nonce = decryptNonce(params, kPi, requireValue(step1, 0x80, 'encrypted nonce'));

  // §4.4.3.3.1 generic mapping: exchange mapping keys, H = SK_map·PK_map,IC, G' = s·G + H.
  const skMap = randomScalar(curve, random);
  const pkMap = curve.ecdsa.Point.BASE.multiply(skMap);
  const pkMapBytes = encodePoint(pkMap);
  const step2 = await generalAuthenticate(
    transport,
    encodeTlv(0x81, pkMapBytes),
    false,
    'GENERAL AUTHENTICATE (map)',
  );
  const chipMappingPublicKey = requireValue(step2, 0x82, 'mapping public key');
  const pkMapIc = decodePoint(curve, chipMappingPublicKey, 'ERR_PACE_FAILED');
  if (pkMapIc.equals(pkMap)) fail('chip echoed the terminal mapping key');
  const mapped = genericMapping(curve, nonce, pkMapIc.multiply(skMap));

  // §4.4.3.3.2 key agreement on G'; the terminal checks PK_IC ≠ PK_PCD.
  const { sk, pkBytes } = ephemeralKey(curve, mapped, random);
  const step3 = await generalAuthenticate(
    transport,
    encodeTlv(0x83, pkBytes),
    false,
    'GENERAL AUTHENTICATE (key agreement)',
  );
  const chipPublicKey = requireValue(step3, 0x84, 'chip ephemeral public key');
  const pkIc = decodePoint(curve, chipPublicKey, 'ERR_PACE_FAILED');
  if (constantTimeEqual(encodePoint(pkIc), pkBytes)) fail('chip echoed the terminal ephemeral key');
  const keys = paceSessionKeys(params, xCoordinate(curve, pkIc.multiply(sk)));

  // §4.4.3.4 mutual authentication: send T_PCD over PK_IC, check T_IC over PK_PCD.
  const tPcd = authenticationToken(params, keys.ksMac, encodePoint(pkIc));
  const step4 = await generalAuthenticate(
    transport,
    encodeTlv(0x85, tPcd),
    true,
    'GENERAL AUTHENTICATE (mutual authentication)',
  );
  const tIc = requireValue(step4, 0x86, 'chip authentication token');
  if (!constantTimeEqual(tIc, authenticationToken(params, keys.ksMac, pkBytes))) {
    fail('chip authentication token does not verify');
  }

  let chipAuthenticationData: Uint8Array | undefined;
  if (params.mapping === 'CAM') {
    // TR-03110-2 §3.4.1: A_IC in tag 8A, decrypted with KSenc and IV = E(KSenc, -1).
    const aIc = requireValue(step4, 0x8a, 'PACE-CAM chip authentication data');
    if (aIc.length === 0 || aIc.length % 16 !== 0) fail('PACE-CAM data has a bad length');
    try {
      chipAuthenticationData = unpad(aesCbcDecrypt(keys.ksEnc, aIc, camIv(keys.ksEnc)), 16);
    } catch (e) {
      fail('PACE-CAM data does not decrypt', undefined, e);
    }
  }
  return {
    session: paceSmSession(params, keys),
    parameters: params,
    chipPublicKey: encodePoint(pkIc),
    chipMappingPublicKey,
    ...(chipAuthenticationData ? { chipAuthenticationData } : {}),
  };
}

function ephemeralKey(
  curve: EcCurve,
  generator: EcPoint,
  random: RandomSource,
): { sk: bigint; pkBytes: Uint8Array } {
  const sk = randomScalar(curve, random);
  return { sk, pkBytes: encodePoint(generator.multiply(sk)) };
}

/**
 * PACE-CAM check (TR-03110-2 §3.4.2): the chip proves its static key by PK_map,IC = CA_IC · PK_IC.
 * `chipStaticPublicKey` comes from EF.CardSecurity (ChipAuthenticationPublicKeyInfo, verified by PA).
 */
export function verifyPaceCam(result: PaceResult, chipStaticPublicKey: Uint8Array): boolean {
  const curve = result.parameters.curve;
  if (!curve || result.chipAuthenticationData === undefined) return false;
  try {
    let ca = 0n;
    for (const b of result.chipAuthenticationData) ca = (ca << 8n) | BigInt(b);
    if (ca === 0n || ca >= curve.n) return false;
    const pk = decodePoint(curve, chipStaticPublicKey, 'ERR_PACE_FAILED');
    return constantTimeEqual(
      encodePoint(pk.multiply(ca)),
      encodePoint(decodePoint(curve, result.chipMappingPublicKey, 'ERR_PACE_FAILED')),
    );
  } catch {
    return false;
  }
}
