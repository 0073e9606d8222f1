// Signature verification for SODs, certificates, CRLs and master lists with node:crypto (server side):
// RSA PKCS#1 v1.5 (RFC 8017 §8.2), RSASSA-PSS (RFC 8017 §8.1) and ECDSA (X9.62) on NIST and brainpool curves.
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { expectConstructed, parseBer, readIntegerBytes, unsignedBytes } from '../asn1/der.ts';
import { concatBytes } from '../bytes.ts';
import { namedCurveByName } from '../crypto/ec-curves.ts';
import { encodeNamedCurveSpki } from '../crypto/spki.ts';
import { MrtdError } from '../errors.ts';
import { type AlgorithmIdentifier, type SignatureScheme, signatureScheme } from './algorithm.ts';
import type { HashAlgorithm } from './oids.ts';
import { curveOrderLength, type PublicKeyInfo } from './public-key.ts';

export interface VerifySignatureInput {
  readonly algorithm: AlgorithmIdentifier;
  /** The digest algorithm that goes with a bare rsaEncryption / id-ecPublicKey (CMS SignerInfo). */
  readonly digestHash?: HashAlgorithm;
  readonly publicKey: PublicKeyInfo;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * True when the signature verifies. A malformed signature value is `false`, not an error;
 * an unsupported algorithm or a key that does not fit the algorithm is ERR_CRYPTO_UNSUPPORTED.
 */
export function verifySignature(input: VerifySignatureInput): boolean {
  const scheme = signatureScheme(input.algorithm, input.digestHash);
  return verifyWithScheme(scheme, input.publicKey, input.data, input.signature);
}

export function verifyWithScheme(
  scheme: SignatureScheme,
  publicKey: PublicKeyInfo,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if ((scheme.kind === 'ecdsa') !== (publicKey.kind === 'ec')) {
    throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `a ${publicKey.kind} key cannot verify ${scheme.kind}`);
  }
  const key = toKeyObject(publicKey);
  try {
    if (scheme.kind === 'rsa-pkcs1') {
      return verify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    if (scheme.kind === 'rsa-pss') {
      // node:crypto uses the signature hash for MGF1; other combinations are not seen in eMRTD PKIs.
      if (scheme.mgfHash !== scheme.hash) {
        throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', 'RSASSA-PSS with an MGF1 hash different from the hash');
      }
      return verify(
        scheme.hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength },
        signature,
      );
    }
    if (publicKey.kind !== 'ec') return false;
    const size = curveOrderLength(publicKey.curve);
    const plain = scheme.encoding === 'plain' ? checkPlain(signature, size) : derToPlain(signature, size);
    if (plain === undefined) return false;
    return verify(scheme.hash, data, { key, dsaEncoding: 'ieee-p1363' }, plain);
  } catch (e) {
    if (e instanceof MrtdError) throw e;
    // OpenSSL reports a malformed signature as an exception; it is simply not a valid signature.
    return false;
  }
}

function checkPlain(sig: Uint8Array, size: number): Uint8Array | undefined {
  return sig.length === 2 * size ? sig : undefined;
}

/** X9.62 ECDSA-Sig-Value {r, s} to r || s, tolerating non-minimal integer encodings seen in the field. */
function derToPlain(sig: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const [rNode, sNode, extra] = expectConstructed(
      parseBer(sig),
      'ECDSA-Sig-Value',
      'ERR_SIGNATURE_INVALID',
    );
    if (extra !== undefined) return undefined;
    const r = unsignedBytes(readIntegerBytes(rNode, 'r', 'ERR_SIGNATURE_INVALID'));
    const s = unsignedBytes(readIntegerBytes(sNode, 's', 'ERR_SIGNATURE_INVALID'));
    if (r.length > size || s.length > size) return undefined;
    return concatBytes(pad(r, size), pad(s, size));
  } catch {
    return undefined;
  }
}

function pad(v: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(v, size - v.length);
  return out;
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
    const spki = encodeNamedCurveSpki(namedCurveByName(key.curve), key.point);
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new MrtdError('ERR_CERT_FORMAT', 'public key rejected by the crypto library', { cause });
  }
}

function base64url(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}
