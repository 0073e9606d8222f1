// The one table of elliptic curves: the six the eMRTD protocols run on (NIST P-256/384/521,
// brainpoolP256r1/384r1/512r1, implemented with noble, with their PACE standardized domain parameter ids,
// ICAO 9303-11 §9.5.1), plus three older curves that only appear in CSCA and Document Signer certificates.
import type { ECDSA, WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { bytesToBigInt } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import type { RandomSource } from './random.ts';

/** The curves the chip protocols (PACE, CA, AA) implement. */
export type CurveName =
  | 'P-256'
  | 'P-384'
  | 'P-521'
  | 'brainpoolP256r1'
  | 'brainpoolP384r1'
  | 'brainpoolP512r1';

/** Every named curve the library recognises, certificate-only ones included. */
export type NamedCurveName = CurveName | 'P-224' | 'brainpoolP224r1' | 'brainpoolP320r1';

export type EcPoint = WeierstrassPoint<bigint>;

/** A named curve and its domain parameters (SEC 2 / FIPS 186-4, RFC 5639); all have cofactor 1. */
export interface NamedCurve {
  readonly name: NamedCurveName;
  /** The namedCurve OID (RFC 5480, RFC 5639). */
  readonly oid: string;
  /** The name OpenSSL (node:crypto) knows the curve by. */
  readonly nodeName: string;
  /** Byte length of a field element (coordinate). */
  readonly fieldLength: number;
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  readonly n: bigint;
}

/** A curve the protocols run on, with its noble implementation. */
export interface EcCurve extends NamedCurve {
  readonly name: CurveName;
  /** ICAO 9303-11 §9.5.1 standardized domain parameter id. */
  readonly parameterId: number;
  readonly ecdsa: ECDSA;
}

function curve(name: CurveName, oid: string, nodeName: string, parameterId: number, ecdsa: ECDSA): EcCurve {
  const c = ecdsa.Point.CURVE();
  return {
    name,
    oid,
    nodeName,
    parameterId,
    ecdsa,
    fieldLength: ecdsa.Point.Fp.BYTES,
    p: c.p,
    a: c.a,
    b: c.b,
    gx: c.Gx,
    gy: c.Gy,
    n: c.n,
  };
}

function hexCurve(
  name: NamedCurveName,
  oid: string,
  nodeName: string,
  hex: { p: string; a: string; b: string; gx: string; gy: string; n: string },
): NamedCurve {
  const big = (h: string): bigint => BigInt(`0x${h}`);
  return {
    name,
    oid,
    nodeName,
    fieldLength: Math.ceil(hex.p.length / 2),
    p: big(hex.p),
    a: big(hex.a),
    b: big(hex.b),
    gx: big(hex.gx),
    gy: big(hex.gy),
    n: big(hex.n),
  };
}

export const EC_CURVES: readonly EcCurve[] = Object.freeze([
  curve('P-256', '1.2.840.10045.3.1.7', 'prime256v1', 12, p256),
  curve('brainpoolP256r1', '1.3.36.3.3.2.8.1.1.7', 'brainpoolP256r1', 13, brainpoolP256r1),
  curve('P-384', '1.3.132.0.34', 'secp384r1', 15, p384),
  curve('brainpoolP384r1', '1.3.36.3.3.2.8.1.1.11', 'brainpoolP384r1', 16, brainpoolP384r1),
  curve('brainpoolP512r1', '1.3.36.3.3.2.8.1.1.13', 'brainpoolP512r1', 17, brainpoolP512r1),
  curve('P-521', '1.3.132.0.35', 'secp521r1', 18, p521),
]);

/** EC_CURVES and the certificate-only curves (verified by node:crypto on the server, never by the chip). */
export const NAMED_CURVES: readonly NamedCurve[] = Object.freeze([
  ...EC_CURVES,
  hexCurve('P-224', '1.3.132.0.33', 'secp224r1', {
    p: 'ffffffffffffffffffffffffffffffff000000000000000000000001',
    a: 'fffffffffffffffffffffffffffffffefffffffffffffffffffffffe',
    b: 'b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4',
    gx: 'b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21',
    gy: 'bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34',
    n: 'ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d',
  }),
  hexCurve('brainpoolP224r1', '1.3.36.3.3.2.8.1.1.5', 'brainpoolP224r1', {
    p: 'd7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff',
    a: '68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43',
    b: '2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b',
    gx: '0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d',
    gy: '58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd',
    n: 'd7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f',
  }),
  hexCurve('brainpoolP320r1', '1.3.36.3.3.2.8.1.1.9', 'brainpoolP320r1', {
    p: 'd35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27',
    a: '3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4',
    b: '520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6',
    gx: '43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611',
    gy: '14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1',
    n: 'd35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311',
  }),
]);

export function curveByName(name: CurveName): EcCurve {
  const c = EC_CURVES.find((x) => x.name === name);
  if (!c) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `no curve ${name}`);
  return c;
}

export function namedCurveByName(name: NamedCurveName): NamedCurve {
  const c = NAMED_CURVES.find((x) => x.name === name);
  if (c === undefined) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unknown curve ${name}`);
  return c;
}

export function namedCurveByOid(oid: string): NamedCurve | undefined {
  return NAMED_CURVES.find((x) => x.oid === oid);
}

export function curveByParameterId(id: number): EcCurve | undefined {
  return EC_CURVES.find((x) => x.parameterId === id);
}

/** The protocol curve behind a named curve, if the protocols implement it. */
export function protocolCurve(c: NamedCurve | undefined): EcCurve | undefined {
  return c === undefined ? undefined : EC_CURVES.find((x) => x.name === c.name);
}

/** Prime-field explicit domain parameters (X9.62 ECParameters; RFC 3279 §2.3.5), values as read. */
export interface ExplicitCurveParameters {
  readonly p: bigint;
  /** The curve coefficients' FieldElement octets. */
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  /** The base point, SEC 1 encoded (uncompressed or compressed). */
  readonly base: Uint8Array;
  readonly n: bigint;
}

/**
 * The named curve with the same p, a, b, G and n. Callers refuse an unknown explicit curve: verifying
 * over arbitrary parameters would let a key choose a weak group.
 */
export function namedCurveByParameters(params: ExplicitCurveParameters): NamedCurve | undefined {
  const a = bytesToBigInt(params.a);
  const b = bytesToBigInt(params.b);
  return NAMED_CURVES.find(
    (c) => c.p === params.p && c.a === a && c.b === b && c.n === params.n && baseMatches(params.base, c),
  );
}

function baseMatches(base: Uint8Array, c: NamedCurve): boolean {
  const len = c.fieldLength;
  const x = bytesToBigInt(base.subarray(1, 1 + len));
  if (base[0] === 0x04 && base.length === 1 + 2 * len) {
    return x === c.gx && bytesToBigInt(base.subarray(1 + len)) === c.gy;
  }
  if ((base[0] === 0x02 || base[0] === 0x03) && base.length === 1 + len) {
    return x === c.gx && (c.gy & 1n) === BigInt(base[0] & 1);
  }
  return false;
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
