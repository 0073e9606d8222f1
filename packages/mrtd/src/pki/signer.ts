// Signing with node:crypto for test PKIs and test documents: key generation, the AlgorithmIdentifier
// that goes with a key (RFC 3279, RFC 4055 §3.1, RFC 5758 §3.2) and the signature value.
import { constants, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { der } from '../asn1/der-writer.ts';
import { type CurveName, curveByName } from '../crypto/ec-curves.ts';
import { MrtdError } from '../errors.ts';
import { signatureOid } from './algorithm.ts';
import { type HashAlgorithm, hashLength, hashOid, Oid } from './oids.ts';

/** Key types for test CSCAs and Document Signers. EC keys are fast to generate; RSA takes ~0.1-1 s. */
export type TestKeyAlgorithm =
  | 'ec-p256'
  | 'ec-p384'
  | 'ec-brainpoolP256r1'
  | 'ec-brainpoolP384r1'
  | 'rsa-2048'
  | 'rsa-3072';

/** How RSA keys sign; EC keys always use ECDSA. */
export type RsaSignatureScheme = 'pkcs1' | 'pss';

export interface SigningKey {
  /** PKCS#8 DER (portable: save it with a test document and load it again). */
  readonly privateKey: Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  readonly publicKey: Uint8Array;
}

const EC_KEYS: Readonly<Partial<Record<TestKeyAlgorithm, CurveName>>> = {
  'ec-p256': 'P-256',
  'ec-p384': 'P-384',
  'ec-brainpoolP256r1': 'brainpoolP256r1',
  'ec-brainpoolP384r1': 'brainpoolP384r1',
};

export function generateSigningKey(algorithm: TestKeyAlgorithm): SigningKey {
  const curve = EC_KEYS[algorithm];
  const pair =
    curve !== undefined
      ? generateKeyPairSync('ec', { namedCurve: curveByName(curve).nodeName })
      : generateKeyPairSync('rsa', { modulusLength: algorithm === 'rsa-3072' ? 3072 : 2048 });
  return {
    privateKey: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
    publicKey: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
  };
}

function loadKey(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new MrtdError('ERR_USAGE', 'private key is not PKCS#8 DER', { cause });
  }
}

export interface SignatureOptions {
  readonly hash: HashAlgorithm;
  readonly rsaScheme?: RsaSignatureScheme;
}

/** The DER AlgorithmIdentifier for signatures made by `privateKey` with these options. */
export function signatureAlgorithmFor(privateKey: Uint8Array, options: SignatureOptions): Uint8Array {
  const key = loadKey(privateKey);
  const hash = options.hash;
  if (key.asymmetricKeyType === 'ec') {
    return der.sequence(der.oid(signatureOid('ecdsa', hash)));
  }
  if (key.asymmetricKeyType !== 'rsa') throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', 'unsupported key type');
  if ((options.rsaScheme ?? 'pkcs1') === 'pss') {
    const hashAlg = der.sequence(der.oid(hashOid(hash)));
    return der.sequence(
      der.oid(Oid.rsassaPss),
      der.sequence(
        der.contextConstructed(0, hashAlg),
        der.contextConstructed(1, der.sequence(der.oid(Oid.mgf1), hashAlg)),
        der.contextConstructed(2, der.integer(hashLength(hash))),
      ),
    );
  }
  return der.sequence(der.oid(signatureOid('rsa-pkcs1', hash)), der.null());
}

/** Signs `data`; ECDSA values are DER ECDSA-Sig-Value as X.509 and CMS expect. */
export function signData(privateKey: Uint8Array, data: Uint8Array, options: SignatureOptions): Uint8Array {
  const key = loadKey(privateKey);
  if (key.asymmetricKeyType === 'rsa' && (options.rsaScheme ?? 'pkcs1') === 'pss') {
    return new Uint8Array(
      sign(options.hash, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: hashLength(options.hash),
      }),
    );
  }
  return new Uint8Array(sign(options.hash, data, key));
}

/** A sensible default hash for a key: SHA-256, or SHA-384 for 384-bit curves. */
export function defaultHashFor(algorithm: TestKeyAlgorithm): HashAlgorithm {
  return algorithm === 'ec-p384' || algorithm === 'ec-brainpoolP384r1' ? 'sha384' : 'sha256';
}
