// AlgorithmIdentifier parsing and the mapping of signature OIDs to a verification scheme
// (RFC 3279 §2.2, RFC 4055 §3.1 for RSASSA-PSS, RFC 5758 §3.2 for ECDSA, BSI TR-03111 §5.2.1 plain ECDSA).

import {
  type Asn1Node,
  asn1Fail,
  expectConstructed,
  isContext,
  isUniversal,
  parseBer,
  readOid,
  readSmallInt,
  Tag,
} from '../asn1/der.ts';
import type { MrtdErrorCode } from '../errors.ts';
import { MrtdError } from '../errors.ts';
import { type HashAlgorithm, hashByOid, hashLength, Oid } from './oids.ts';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The raw DER of the parameters, when present (NULL included). */
  readonly parameters?: Uint8Array;
}

export function readAlgorithmIdentifier(
  node: Asn1Node | undefined,
  what: string,
  code: MrtdErrorCode,
): AlgorithmIdentifier {
  const parts = expectConstructed(node, what, code);
  const oid = readOid(parts[0], `${what}.algorithm`, code);
  if (parts.length > 2) asn1Fail(code, `${what}: too many fields`);
  const params = parts[1];
  return params === undefined ? { oid } : { oid, parameters: params.raw };
}

export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashAlgorithm }
  | {
      readonly kind: 'rsa-pss';
      readonly hash: HashAlgorithm;
      readonly mgfHash: HashAlgorithm;
      readonly saltLength: number;
    }
  | { readonly kind: 'ecdsa'; readonly hash: HashAlgorithm; readonly encoding: 'der' | 'plain' };

const RSA_PKCS1: Readonly<Record<string, HashAlgorithm>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const ECDSA: Readonly<Record<string, HashAlgorithm>> = {
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

// BSI TR-03111 §5.2.1: ecdsa-plain-signatures, r || s without DER.
const ECDSA_PLAIN: Readonly<Record<string, HashAlgorithm>> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1',
  '0.4.0.127.0.7.1.1.4.1.2': 'sha224',
  '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384',
  '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
};

/**
 * The verification scheme of a signature AlgorithmIdentifier. `digestHash` is the SignerInfo
 * digestAlgorithm: CMS signers (AU, NZ, US SODs) may name only the key type (rsaEncryption,
 * id-ecPublicKey), which RFC 5754 §3.2 / RFC 5753 read as "with the digest algorithm".
 */
export function signatureScheme(alg: AlgorithmIdentifier, digestHash?: HashAlgorithm): SignatureScheme {
  const pkcs1 = RSA_PKCS1[alg.oid];
  if (pkcs1 !== undefined) return { kind: 'rsa-pkcs1', hash: pkcs1 };
  const ecdsa = ECDSA[alg.oid];
  if (ecdsa !== undefined) return { kind: 'ecdsa', hash: ecdsa, encoding: 'der' };
  const plain = ECDSA_PLAIN[alg.oid];
  if (plain !== undefined) return { kind: 'ecdsa', hash: plain, encoding: 'plain' };
  if (alg.oid === Oid.rsassaPss) return pssScheme(alg.parameters);
  if ((alg.oid === Oid.rsaEncryption || alg.oid === Oid.ecPublicKey) && digestHash !== undefined) {
    return alg.oid === Oid.rsaEncryption
      ? { kind: 'rsa-pkcs1', hash: digestHash }
      : { kind: 'ecdsa', hash: digestHash, encoding: 'der' };
  }
  throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unsupported signature algorithm ${alg.oid}`, {
    details: { oid: alg.oid },
  });
}

/** The signature algorithm OID for PKCS#1 v1.5 or X9.62 ECDSA with `hash` (the inverse of signatureScheme). */
export function signatureOid(kind: 'rsa-pkcs1' | 'ecdsa', hash: HashAlgorithm): string {
  const table = kind === 'ecdsa' ? ECDSA : RSA_PKCS1;
  const oid = Object.keys(table).find((o) => table[o] === hash);
  if (oid === undefined)
    throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `no ${kind} signature OID for ${hash}`);
  return oid;
}

/** RFC 4055 §3.1 RSASSA-PSS-params; absent fields take the SHA-1 / MGF1-SHA-1 / 20 / 1 defaults. */
function pssScheme(parameters: Uint8Array | undefined): SignatureScheme {
  const code: MrtdErrorCode = 'ERR_CRYPTO_UNSUPPORTED';
  let hash: HashAlgorithm = 'sha1';
  let mgfHash: HashAlgorithm = 'sha1';
  let saltLength = 20;
  if (parameters !== undefined) {
    const node = parseParams(parameters);
    if (!isUniversal(node, Tag.null)) {
      for (const field of expectConstructed(node, 'RSASSA-PSS-params', 'ERR_CMS_FORMAT')) {
        const inner = field.children[0];
        if (isContext(field, 0)) {
          hash = hashByOid(readAlgorithmIdentifier(inner, 'hashAlgorithm', 'ERR_CMS_FORMAT').oid);
        } else if (isContext(field, 1)) {
          const mgf = readAlgorithmIdentifier(inner, 'maskGenAlgorithm', 'ERR_CMS_FORMAT');
          if (mgf.oid !== Oid.mgf1 || mgf.parameters === undefined) {
            throw new MrtdError(code, `unsupported mask generation function ${mgf.oid}`);
          }
          mgfHash = hashByOid(
            readAlgorithmIdentifier(parseParams(mgf.parameters), 'MGF1 hash', 'ERR_CMS_FORMAT').oid,
          );
        } else if (isContext(field, 2)) {
          saltLength = readSmallInt(inner, 'saltLength', 'ERR_CMS_FORMAT');
        } else if (isContext(field, 3)) {
          if (readSmallInt(inner, 'trailerField', 'ERR_CMS_FORMAT') !== 1) {
            throw new MrtdError(code, 'RSASSA-PSS trailerField other than 1');
          }
        }
      }
    }
  }
  if (saltLength < 0 || saltLength > 1024) throw new MrtdError(code, 'RSASSA-PSS salt length out of range');
  if (hashLength(hash) === 0) throw new MrtdError(code, 'unknown PSS hash');
  return { kind: 'rsa-pss', hash, mgfHash, saltLength };
}

function parseParams(bytes: Uint8Array): Asn1Node {
  return parseBer(bytes, 'ERR_CMS_FORMAT');
}
