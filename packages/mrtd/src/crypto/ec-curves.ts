// The elliptic curves the eMRTD protocols use (NIST P-256/384/521, brainpoolP256r1/384r1/512r1), with
// their PACE standardized domain parameter ids (ICAO 9303-11 §9.5.1) and SubjectPublicKeyInfo parsing
// that also recognises explicit curve parameters, as real DG14/DG15 files carry them.
import type { ECDSA, WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeTlv, decodeTlvSequence, encodeTlv, type Tlv } from '../tlv/tlv.ts';
import { decodeOid, encodeOid } from './oid.ts';
import type { RandomSource } from './random.ts';

export type CurveName =
  | 'P-256'
  | 'P-384'
  | 'P-521'
  | 'brainpoolP256r1'
  | 'brainpoolP384r1'
  | 'brainpoolP512r1';

export type EcPoint = WeierstrassPoint<bigint>;

export interface EcCurve {
  readonly name: CurveName;
  /** The namedCurve OID (RFC 5480, RFC 5639). */
  readonly oid: string;
  /** ICAO 9303-11 §9.5.1 standardized domain parameter id. */
  readonly parameterId: number;
  readonly ecdsa: ECDSA;
  /** Byte length of a field element (coordinate). */
  readonly fieldLength: number;
  readonly n: bigint;
  readonly p: bigint;
}

function curve(name: CurveName, oid: string, parameterId: number, ecdsa: ECDSA): EcCurve {
  const c = ecdsa.Point.CURVE();
  return { name, oid, parameterId, ecdsa, fieldLength: ecdsa.Point.Fp.BYTES, n: c.n, p: c.p };
}

export const EC_CURVES: readonly EcCurve[] = Object.freeze([
  curve('P-256', '1.2.840.10045.3.1.7', 12, p256),
  curve('brainpoolP256r1', '1.3.36.3.3.2.8.1.1.7', 13, brainpoolP256r1),
  curve('P-384', '1.3.132.0.34', 15, p384),
  curve('brainpoolP384r1', '1.3.36.3.3.2.8.1.1.11', 16, brainpoolP384r1),
  curve('brainpoolP512r1', '1.3.36.3.3.2.8.1.1.13', 17, brainpoolP512r1),
  curve('P-521', '1.3.132.0.35', 18, p521),
]);

export function curveByName(name: CurveName): EcCurve {
  const c = EC_CURVES.find((x) => x.name === name);
  if (!c) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `no curve ${name}`);
  return c;
}

export function curveByParameterId(id: number): EcCurve | undefined {
  return EC_CURVES.find((x) => x.parameterId === id);
}

/** Decodes a point and checks it is on the curve and not infinity; failures raise `code`. */
export function decodePoint(
  c: EcCurve,
  bytes: Uint8Array,
  code: 'ERR_PACE_FAILED' | 'ERR_CA_FAILED' | 'ERR_AA_FAILED',
): EcPoint {
  try {
    const point = c.ecdsa.Point.fromBytes(bytes);
    point.assertValidity();
    if (point.is0()) throw new MrtdError(code, 'point at infinity');
    return point;
  } catch (e) {
    if (e instanceof MrtdError) throw e;
    throw new MrtdError(code, `not a valid ${c.name} point`, { cause: e });
  }
}

export function encodePoint(point: EcPoint): Uint8Array {
  return point.toBytes(false);
}

/** The x-coordinate as a field-length octet string (BSI TR-03111 §4.3.1: the ECDH shared secret). */
export function xCoordinate(c: EcCurve, point: EcPoint): Uint8Array {
  return numberToBytesBE(point.toAffine().x, c.fieldLength);
}

/** A private scalar in [1, n-1] drawn from `random` (rejection sampling on the bit length of n). */
export function randomScalar(c: EcCurve, random: RandomSource): bigint {
  const bytes = Math.ceil(c.n.toString(2).length / 8);
  const excess = bytes * 8 - c.n.toString(2).length;
  for (let i = 0; i < 1000; i++) {
    const b = random(bytes).slice();
    b[0] = (b[0] ?? 0) & (0xff >> excess);
    const k = bytesToNumberBE(b);
    if (k > 0n && k < c.n) return k;
  }
  throw new MrtdError('ERR_USAGE', 'random source gives no usable scalar');
}

export function scalarBytes(c: EcCurve, k: bigint): Uint8Array {
  return numberToBytesBE(k, Math.ceil(c.n.toString(2).length / 8));
}

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** SubjectPublicKeyInfo for an EC public key with a namedCurve parameter (RFC 5480 §2). */
export function encodeEcSpki(c: EcCurve, point: EcPoint): Uint8Array {
  const algorithm = encodeTlv(
    0x30,
    concatBytes(encodeTlv(0x06, encodeOid(ID_EC_PUBLIC_KEY)), encodeTlv(0x06, encodeOid(c.oid))),
  );
  const key = encodeTlv(0x03, concatBytes(Uint8Array.of(0), encodePoint(point)));
  return encodeTlv(0x30, concatBytes(algorithm, key));
}

function unsignedInt(t: Tlv): bigint {
  return t.value.length === 0 ? 0n : bytesToNumberBE(t.value);
}

/** Matches explicit ECParameters (X9.62: version, fieldID, curve, base, order, ...) to a known curve. */
function curveFromExplicit(params: Tlv): EcCurve | undefined {
  const [, fieldId, curveSeq, base, order] = decodeTlvSequence(params.value);
  if (!fieldId || !curveSeq || !base || !order) return undefined;
  const [fieldType, prime] = decodeTlvSequence(fieldId.value);
  const [a, b] = decodeTlvSequence(curveSeq.value);
  if (!fieldType || !prime || !a || !b) return undefined;
  if (decodeOid(fieldType.value) !== '1.2.840.10045.1.1') return undefined; // prime-field only
  const p = unsignedInt(prime);
  const n = unsignedInt(order);
  return EC_CURVES.find((c) => {
    if (c.p !== p || c.n !== n) return false;
    const curveParams = c.ecdsa.Point.CURVE();
    if (curveParams.a !== unsignedInt(a) || curveParams.b !== unsignedInt(b)) return false;
    try {
      return c.ecdsa.Point.fromBytes(base.value).equals(c.ecdsa.Point.BASE);
    } catch {
      return false;
    }
  });
}

export interface SpkiInfo {
  readonly algorithm: string;
  /** The key bits (BIT STRING content without the unused-bits byte). */
  readonly publicKey: Uint8Array;
  /** For EC keys: the curve, when it is one of EC_CURVES. */
  readonly curve?: EcCurve;
  /** The raw AlgorithmIdentifier parameters. */
  readonly parameters?: Tlv;
}

/** Parses a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7); only typed MrtdErrors escape. */
export function parseSpki(
  der: Uint8Array,
  code: 'ERR_CA_FAILED' | 'ERR_AA_FAILED' = 'ERR_AA_FAILED',
): SpkiInfo {
  try {
    const outer = decodeTlv(der);
    if (outer.tag !== 0x30) throw new MrtdError(code, 'SubjectPublicKeyInfo is not a SEQUENCE');
    const [alg, bits] = decodeTlvSequence(outer.value);
    if (alg?.tag !== 0x30 || bits?.tag !== 0x03 || bits.value[0] !== 0) {
      throw new MrtdError(code, 'malformed SubjectPublicKeyInfo');
    }
    const [oid, parameters] = decodeTlvSequence(alg.value);
    if (oid?.tag !== 0x06) throw new MrtdError(code, 'malformed AlgorithmIdentifier');
    const algorithm = decodeOid(oid.value);
    const publicKey = bits.value.slice(1);
    let curve: EcCurve | undefined;
    if (algorithm === ID_EC_PUBLIC_KEY && parameters) {
      if (parameters.tag === 0x06) {
        const named = decodeOid(parameters.value);
        curve = EC_CURVES.find((c) => c.oid === named);
      } else if (parameters.tag === 0x30) {
        curve = curveFromExplicit(parameters);
      }
    }
    return { algorithm, publicKey, ...(curve ? { curve } : {}), ...(parameters ? { parameters } : {}) };
  } catch (e) {
    if (e instanceof MrtdError && e.code === code) throw e;
    throw new MrtdError(code, 'malformed SubjectPublicKeyInfo', { cause: e });
  }
}
