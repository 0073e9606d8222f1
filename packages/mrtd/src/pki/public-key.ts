// Public keys of certificates: SubjectPublicKeyInfo parsing (RFC 5280 §4.1.2.7, RFC 3279 §2.3), mapping of
// explicit EC domain parameters (RFC 3279 §2.3.5, used by many CSCAs/DSCs) to named curves, and node KeyObjects.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { toHex } from '../bytes.ts';
import { MrtdError, type MrtdErrorCode } from '../errors.ts';
import { der } from '../asn1/der-writer.ts';
import { type Asn1Node, asn1Fail, expectConstructed, isUniversal, parseBer, readBigInt, readBitStringBytes, readIntegerBytes, readOctets, readOid, readSmallInt, Tag, unsignedBytes } from '../asn1/der.ts';
import { Oid } from './oids.ts';

export type CurveName =
  | 'P-224'
  | 'P-256'
  | 'P-384'
  | 'P-521'
  | 'brainpoolP224r1'
  | 'brainpoolP256r1'
  | 'brainpoolP320r1'
  | 'brainpoolP384r1'
  | 'brainpoolP512r1';

interface CurveEntry {
  readonly name: CurveName;
  readonly oid: string;
  /** The name OpenSSL (node:crypto) knows the curve by. */
  readonly nodeName: string;
  readonly p: string;
  readonly a: string;
  readonly b: string;
  readonly gx: string;
  readonly gy: string;
  readonly n: string;
}

// Domain parameters from SEC 2 / FIPS 186-4 (NIST) and RFC 5639 (brainpool); all have cofactor 1.
export const CURVES: readonly CurveEntry[] = [
  {
    name: 'P-256',
    oid: '1.2.840.10045.3.1.7',
    nodeName: 'prime256v1',
    p: 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
    a: 'ffffffff00000001000000000000000000000000fffffffffffffffffffffffc',
    b: '5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b',
    gx: '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296',
    gy: '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
    n: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
  },
  {
    name: 'P-384',
    oid: '1.3.132.0.34',
    nodeName: 'secp384r1',
    p: 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
    a: 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc',
    b: 'b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef',
    gx: 'aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7',
    gy: '3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f',
    n: 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  },
  {
    name: 'P-521',
    oid: '1.3.132.0.35',
    nodeName: 'secp521r1',
    p: '1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    a: '1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc',
    b: '51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00',
    gx: '00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66',
    gy: '011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650',
    n: '1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  },
  {
    name: 'P-224',
    oid: '1.3.132.0.33',
    nodeName: 'secp224r1',
    p: 'ffffffffffffffffffffffffffffffff000000000000000000000001',
    a: 'fffffffffffffffffffffffffffffffefffffffffffffffffffffffe',
    b: 'b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4',
    gx: 'b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21',
    gy: 'bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34',
    n: 'ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d',
  },
  {
    name: 'brainpoolP224r1',
    oid: '1.3.36.3.3.2.8.1.1.5',
    nodeName: 'brainpoolP224r1',
    p: 'd7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff',
    a: '68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43',
    b: '2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b',
    gx: '0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d',
    gy: '58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd',
    n: 'd7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f',
  },
  {
    name: 'brainpoolP256r1',
    oid: '1.3.36.3.3.2.8.1.1.7',
    nodeName: 'brainpoolP256r1',
    p: 'a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377',
    a: '7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9',
    b: '26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6',
    gx: '8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262',
    gy: '547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997',
    n: 'a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7',
  },
  {
    name: 'brainpoolP320r1',
    oid: '1.3.36.3.3.2.8.1.1.9',
    nodeName: 'brainpoolP320r1',
    p: 'd35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27',
    a: '3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4',
    b: '520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6',
    gx: '43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611',
    gy: '14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1',
    n: 'd35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311',
  },
  {
    name: 'brainpoolP384r1',
    oid: '1.3.36.3.3.2.8.1.1.11',
    nodeName: 'brainpoolP384r1',
    p: '8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53',
    a: '7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f8aa5814a503ad4eb04a8c7dd22ce2826',
    b: '4a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d57cb4390295dbc9943ab78696fa504c11',
    gx: '1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e',
    gy: '8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315',
    n: '8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565',
  },
  {
    name: 'brainpoolP512r1',
    oid: '1.3.36.3.3.2.8.1.1.13',
    nodeName: 'brainpoolP512r1',
    p: 'aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3',
    a: '7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca',
    b: '3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723',
    gx: '81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822',
    gy: '7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892',
    n: 'aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069',
  },
];

export function curveByName(name: CurveName): CurveEntry {
  const c = CURVES.find((x) => x.name === name);
  if (c === undefined) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unknown curve ${name}`);
  return c;
}

export type PublicKeyInfo =
  | { readonly kind: 'rsa'; readonly n: Uint8Array; readonly e: Uint8Array; readonly bits: number }
  | {
      readonly kind: 'ec';
      readonly curve: CurveName;
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
      const c = CURVES.find((x) => x.oid === curveOid);
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

function big(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

function bytesToBig(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${toHex(b)}`);
}

/**
 * RFC 3279 §2.3.5 ECParameters: identifies the named curve with the same p, a, b, G and n.
 * An unknown explicit curve is refused: verifying over arbitrary parameters would let a key choose a weak group.
 */
function matchExplicitCurve(params: Asn1Node, code: MrtdErrorCode): CurveName {
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
  const a = bytesToBig(readOctets(aNode, 'a', code));
  const b = bytesToBig(readOctets(bNode, 'b', code));
  const base = readOctets(baseNode, 'base', code);
  const n = readBigInt(orderNode, 'order', code);
  for (const c of CURVES) {
    if (big(c.p) !== p || big(c.a) !== a || big(c.b) !== b || big(c.n) !== n) continue;
    if (baseMatches(base, c)) return c.name;
  }
  throw new MrtdError('ERR_UNKNOWN_CURVE', 'explicit EC parameters match no supported named curve', {
    details: { p: p.toString(16) },
  });
}

function baseMatches(base: Uint8Array, c: CurveEntry): boolean {
  const len = c.gx.length / 2;
  const x = bytesToBig(base.subarray(1, 1 + len));
  if (base[0] === 0x04 && base.length === 1 + 2 * len) {
    return x === big(c.gx) && bytesToBig(base.subarray(1 + len)) === big(c.gy);
  }
  if ((base[0] === 0x02 || base[0] === 0x03) && base.length === 1 + len) {
    return x === big(c.gx) && (big(c.gy) & 1n) === BigInt(base[0] & 1);
  }
  return false;
}

/** The key as a node KeyObject (EC keys re-encoded with their named curve OID, RFC 5480 §2.1.1). */
export function toKeyObject(key: PublicKeyInfo): KeyObject {
  try {
    if (key.kind === 'rsa') {
      return createPublicKey({
        key: { kty: 'RSA', n: base64url(key.n), e: base64url(key.e) },
        format: 'jwk',
      });
    }
    return createPublicKey({ key: Buffer.from(namedCurveSpki(key)), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new MrtdError('ERR_CERT_FORMAT', 'public key rejected by the crypto library', { cause });
  }
}

/** SubjectPublicKeyInfo DER of an EC key with a named-curve OID. */
export function namedCurveSpki(key: { curve: CurveName; point: Uint8Array }): Uint8Array {
  const c = curveByName(key.curve);
  return der.sequence(der.sequence(der.oid(Oid.ecPublicKey), der.oid(c.oid)), der.bitString(key.point));
}

/** Coordinate size in bytes of a curve (for plain r || s signatures). */
export function curveFieldLength(name: CurveName): number {
  return Math.ceil(curveByName(name).p.length / 2);
}

export function curveOrderLength(name: CurveName): number {
  return Math.ceil(curveByName(name).n.length / 2);
}

function base64url(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}
