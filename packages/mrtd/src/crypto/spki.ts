// SubjectPublicKeyInfo for the chip protocols (RFC 5280 §4.1.2.7, RFC 5480): writing EC keys with a named
// curve, and reading DG14/DG15 keys, which may carry explicit curve parameters as real chips do.
import { der } from '../asn1/der-writer.ts';
import { decodeOid } from '../asn1/oid.ts';
import { bytesToBigInt } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeTlv, decodeTlvSequence, type Tlv } from '../tlv/tlv.ts';
import {
  EC_CURVES,
  type EcCurve,
  type EcPoint,
  encodePoint,
  namedCurveByParameters,
  protocolCurve,
} from './ec-curves.ts';

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ID_PRIME_FIELD = '1.2.840.10045.1.1';

/** SubjectPublicKeyInfo DER of an EC public key (SEC 1 point bytes) with a namedCurve parameter (RFC 5480 §2). */
export function encodeNamedCurveSpki(curve: { readonly oid: string }, point: Uint8Array): Uint8Array {
  return der.sequence(der.sequence(der.oid(ID_EC_PUBLIC_KEY), der.oid(curve.oid)), der.bitString(point));
}

/** SubjectPublicKeyInfo for an EC public key with a namedCurve parameter (RFC 5480 §2). */
export function encodeEcSpki(c: EcCurve, point: EcPoint): Uint8Array {
  return encodeNamedCurveSpki(c, encodePoint(point));
}

/** Matches explicit ECParameters (X9.62: version, fieldID, curve, base, order, ...) to a protocol curve. */
function curveFromExplicit(params: Tlv): EcCurve | undefined {
  const [, fieldId, curveSeq, base, order] = decodeTlvSequence(params.value);
  if (!fieldId || !curveSeq || !base || !order) return undefined;
  const [fieldType, prime] = decodeTlvSequence(fieldId.value);
  const [a, b] = decodeTlvSequence(curveSeq.value);
  if (!fieldType || !prime || !a || !b) return undefined;
  if (decodeOid(fieldType.value) !== ID_PRIME_FIELD) return undefined; // prime-field only
  return protocolCurve(
    namedCurveByParameters({
      p: bytesToBigInt(prime.value),
      a: a.value,
      b: b.value,
      base: base.value,
      n: bytesToBigInt(order.value),
    }),
  );
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
