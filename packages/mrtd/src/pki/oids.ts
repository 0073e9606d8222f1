// Object identifiers used by passive authentication, X.509 and master lists, and the hash table
// (hashing itself is in digest.ts, Node only).
import { MrtdError } from '../errors.ts';

export const Oid = {
  // RFC 5652 §5.1, §11
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentTypeAttr: '1.2.840.113549.1.9.3',
  messageDigestAttr: '1.2.840.113549.1.9.4',
  signingTimeAttr: '1.2.840.113549.1.9.5',
  // ICAO 9303-10 §4.6.2, 9303-12 §9
  ldsSecurityObject: '2.23.136.1.1.1',
  cscaMasterList: '2.23.136.1.1.2',
  // BSI TR-03110-3 §A.1.2.5 (EF.CardSecurity)
  securityObject: '0.4.0.127.0.7.3.2.1',
  // Keys and signatures (RFC 3279, RFC 4055, RFC 5480, RFC 5758, BSI TR-03111)
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  primeField: '1.2.840.10045.1.1',
  // X.509 extensions (RFC 5280 §4.2)
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

export type HashAlgorithm = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const HASHES: readonly { name: HashAlgorithm; oid: string; length: number }[] = [
  { name: 'sha1', oid: '1.3.14.3.2.26', length: 20 },
  { name: 'sha224', oid: '2.16.840.1.101.3.4.2.4', length: 28 },
  { name: 'sha256', oid: '2.16.840.1.101.3.4.2.1', length: 32 },
  { name: 'sha384', oid: '2.16.840.1.101.3.4.2.2', length: 48 },
  { name: 'sha512', oid: '2.16.840.1.101.3.4.2.3', length: 64 },
];

export function hashByOid(oid: string): HashAlgorithm {
  const h = HASHES.find((x) => x.oid === oid);
  if (h === undefined) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unsupported hash algorithm ${oid}`);
  return h.name;
}

export function hashOid(name: HashAlgorithm): string {
  const h = HASHES.find((x) => x.name === name);
  if (h === undefined) throw new MrtdError('ERR_CRYPTO_UNSUPPORTED', `unsupported hash algorithm ${name}`);
  return h.oid;
}

export function hashLength(name: HashAlgorithm): number {
  return HASHES.find((x) => x.name === name)?.length ?? 0;
}

/** Short names for distinguished-name attribute types (RFC 4514 §3 and common extras). */
export const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
