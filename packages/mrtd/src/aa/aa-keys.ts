// Active Authentication key pairs for test documents: the private key for the virtual chip and the
// DG15 SubjectPublicKeyInfo DER. RSA keys come from WebCrypto (browser and Node), EC keys from noble.

import { bytesToBigInt, fromBase64 } from '../bytes.ts';
import { type CurveName, curveByName } from '../crypto/ec-curves.ts';
import { encodeEcSpki } from '../crypto/spki.ts';
import { MrtdError } from '../errors.ts';
import { type AaHash, ecdsaPlainOid } from './aa-algorithms.ts';
import type { AaPrivateKey } from './aa-signer.ts';

export type AaKeyOptions =
  | { readonly type: 'rsa'; readonly bits?: 1024 | 1536 | 2048 | 3072; readonly hash?: AaHash }
  | { readonly type: 'ec'; readonly curve: CurveName; readonly hash?: AaHash };

export interface AaKeyPair {
  readonly privateKey: AaPrivateKey;
  /** SubjectPublicKeyInfo DER: the content of EF.DG15. */
  readonly subjectPublicKeyInfo: Uint8Array;
  /** For ECDSA: the ActiveAuthenticationInfo signatureAlgorithm OID DG14 must carry (§9.2.7). */
  readonly signatureAlgorithm?: string;
}

function base64UrlToBigInt(s: string | undefined): bigint {
  if (s === undefined) throw new MrtdError('ERR_TEST_DOCUMENT', 'WebCrypto JWK lacks an RSA component');
  return bytesToBigInt(fromBase64(s));
}

export async function generateAaKeyPair(options: AaKeyOptions): Promise<AaKeyPair> {
  if (options.type === 'ec') {
    const curve = curveByName(options.curve);
    const hash = options.hash ?? 'SHA-256';
    const { secretKey } = curve.ecdsa.keygen();
    const point = curve.ecdsa.Point.BASE.multiply(bytesToBigInt(secretKey));
    return {
      privateKey: { kind: 'ec', curve, d: secretKey, hash },
      subjectPublicKeyInfo: encodeEcSpki(curve, point),
      signatureAlgorithm: ecdsaPlainOid(hash),
    };
  }
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', 'WebCrypto is not available for RSA key generation');
  const pair = await subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: options.bits ?? 2048,
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  const jwk = await subtle.exportKey('jwk', pair.privateKey);
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return {
    privateKey: {
      kind: 'rsa',
      n: base64UrlToBigInt(jwk.n),
      d: base64UrlToBigInt(jwk.d),
      crt: {
        p: base64UrlToBigInt(jwk.p),
        q: base64UrlToBigInt(jwk.q),
        dp: base64UrlToBigInt(jwk.dp),
        dq: base64UrlToBigInt(jwk.dq),
        qi: base64UrlToBigInt(jwk.qi),
      },
      hash: options.hash ?? 'SHA-256',
    },
    subjectPublicKeyInfo: spki,
  };
}
