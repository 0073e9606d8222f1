// Public keys of certificates: SubjectPublicKeyInfo parsing (RFC 5280 §4.1.2.7, RFC 3279 §2.3) and mapping of
// explicit EC domain parameters (RFC 3279 §2.3.5, used by many CSCAs/DSCs) to named curves.
import {
  type Asn1Node,
  asn1Fail,
  expectConstructed,
  isUniversal,
  parseBer,
  readBigInt,
  readBitStringBytes,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  Tag,
  unsignedBytes,
} from '../asn1/der.ts';
import {
  type NamedCurveName,
  namedCurveByName,
  namedCurveByOid,
  namedCurveByParameters,
} from '../crypto/ec-curves.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { Oid } from './oids.ts';

export type PublicKeyInfo =
  | { readonly kind: 'rsa'; readonly n: Uint8Array; readonly e: Uint8Array; readonly bits: number }
  | {
      readonly kind: 'ec';
      readonly curve: NamedCurveName;
      /** SEC 1 point encoding (04 || x || y, or compressed). */
      readonly point: Uint8Array;
      /** True when the certificate carried explicit domain parameters rather than a curve OID. */
      readonly explicitParameters: boolean;
    };

/** Parses a SubjectPublicKeyInfo (DER). */
export function parsePublicKeyInfo(spki: Uint8Array, code: MrtdErrorCode = 'ERR_CERT_FORMAT'): PublicKeyInfo {
  return readPublicKeyInfo(parseBer(spki, code), code);
}

export function readPublicKeyInfo(node: Asn1Node | undefined, code: MrtdErrorCode): PublicKeyInfo {
  const [algNode, keyNode] = expectConstructed(node, 'SubjectPublicKeyInfo', code);
  const alg = expectConstructed(algNode, 'SubjectPublicKeyInfo.algorithm', code);
  const oid = readOid(alg[0], 'public key algorithm', code);
  const key = readBitStringBytes(keyNode, 'subjectPublicKey', code);
  if (oid === Oid.rsaEncryption || oid === Oid.rsassaPss) {
    // RFC 3279 §2.3.1 RSAPublicKey; a PSS key's parameters only restrict its use (RFC 4055 §1.2).
    const [nNode, eNode] = expectConstructed(parseBer(key, code), 'RSAPublicKey', code);
    const n = unsignedBytes(readIntegerBytes(nNode, 'modulus', code));
    const e = unsignedBytes(readIntegerBytes(eNode, 'publicExponent', code));
    if (n.length < 64 || n.length > 1024) asn1Fail(code, 'RSA modulus size out of range');
    const bits = (n.length - 1) * 8 + bitLength(n[0] ?? 0);
    return { kind: 'rsa', n, e, bits };
  }
  if (oid === Oid.ecPublicKey) {
    const params = alg[1];
    if (params === undefined) asn1Fail(code, 'EC public key without domain parameters');
    if (isUniversal(params, Tag.oid)) {
      const curveOid = readOid(params, 'namedCurve', code);
      const c = namedCurveByOid(curveOid);
      if (c === undefined) {
        throw new MrtdError('ERR_UNKNOWN_CURVE', `unsupported named curve ${curveOid}`, {
          details: { oid: curveOid },
        });
      }
      return { kind: 'ec', curve: c.name, point: key, explicitParameters: false };
    }
    return { kind: 'ec', curve: matchExplicitCurve(params, code), point: key, explicitParameters: true };
  }
  throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unsupported public key algorithm ${oid}`, {
    details: { oid },
  });
}

function bitLength(b: number): number {
  let n = 0;
  for (let v = b; v > 0; v >>= 1) n++;
  return n;
}

/**
 * RFC 3279 §2.3.5 ECParameters: identifies the named curve with the same p, a, b, G and n.
 * An unknown explicit curve is refused: verifying over arbitrary parameters would let a key choose a weak group.
 */
function matchExplicitCurve(params: Asn1Node, code: MrtdErrorCode): NamedCurveName {
  const [versionNode, fieldNode, curveNode, baseNode, orderNode] = expectConstructed(
    params,
    'ECParameters',
    code,
  );
  if (readSmallInt(versionNode, 'ECParameters.version', code) !== 1)
    asn1Fail(code, 'ECParameters version not 1');
  const [fieldType, primeNode] = expectConstructed(fieldNode, 'FieldID', code);
  if (readOid(fieldType, 'fieldType', code) !== Oid.primeField) {
    throw new MrtdError('ERR_UNKNOWN_CURVE', 'EC field is not a prime field');
  }
  const p = readBigInt(primeNode, 'prime', code);
  const [aNode, bNode] = expectConstructed(curveNode, 'Curve', code);
  const a = readOctets(aNode, 'a', code);
  const b = readOctets(bNode, 'b', code);
  const base = readOctets(baseNode, 'base', code);
  const n = readBigInt(orderNode, 'order', code);
  const c = namedCurveByParameters({ p, a, b, base, n });
  if (c !== undefined) return c.name;
  throw new MrtdError('ERR_UNKNOWN_CURVE', 'explicit EC parameters match no supported named curve', {
    details: { p: p.toString(16) },
  });
}

/** Byte length of the curve order n: the size of r and s in a plain r || s signature. */
export function curveOrderLength(name: NamedCurveName): number {
  return Math.ceil(namedCurveByName(name).n.toString(16).length / 2);
}
