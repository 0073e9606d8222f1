// Keeps the UTO test CSCA (certificate and private key) in one JSON file, so every test document
// generated on a machine chains to the same trust anchor. Node only; for development and tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MrtdError } from '../errors.ts';
import { encodePem, parseCertificate } from '../pki/certificate.ts';
import type { HashAlgorithm } from '../pki/oids.ts';
import {
  createTestPki,
  type RsaSignatureScheme,
  type TestCredential,
  type TestKeyAlgorithm,
} from '../pki/test-pki.ts';

interface StoredCredential {
  readonly kind: 'tillid-test-csca';
  readonly certificate: string;
  readonly privateKey: string;
  readonly keyAlgorithm: TestKeyAlgorithm;
  readonly hash: HashAlgorithm;
  readonly rsaScheme: RsaSignatureScheme;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export function serializeTestCredential(c: TestCredential): string {
  const stored: StoredCredential = {
    kind: 'tillid-test-csca',
    certificate: b64(c.der),
    privateKey: b64(c.privateKey),
    keyAlgorithm: c.keyAlgorithm,
    hash: c.hash,
    rsaScheme: c.rsaScheme,
  };
  return `${JSON.stringify(stored, null, 2)}\n`;
}

export function parseTestCredential(json: string): TestCredential {
  try {
    const s = JSON.parse(json) as Partial<StoredCredential>;
    if (
      s.kind !== 'tillid-test-csca' ||
      typeof s.certificate !== 'string' ||
      typeof s.privateKey !== 'string'
    ) {
      throw new MrtdError('ERR_TEST_DOCUMENT', 'not a stored test CSCA');
    }
    const der = unb64(s.certificate);
    return {
      certificate: parseCertificate(der),
      der,
      pem: encodePem(der, 'CERTIFICATE'),
      privateKey: unb64(s.privateKey),
      keyAlgorithm: s.keyAlgorithm ?? 'ec-p256',
      hash: s.hash ?? 'sha256',
      rsaScheme: s.rsaScheme ?? 'pkcs1',
    };
  } catch (e) {
    if (e instanceof MrtdError) throw e;
    throw new MrtdError('ERR_TEST_DOCUMENT', 'the stored test CSCA is not readable', { cause: e });
  }
}

/** Loads the test CSCA from `path`, creating (and saving) a new one on first use. */
export function loadOrCreateTestCsca(path: string, options: { now?: Date } = {}): TestCredential {
  if (existsSync(path)) return parseTestCredential(readFileSync(path, 'utf8'));
  const { csca } = createTestPki({ country: 'UTO', ...(options.now ? { now: options.now } : {}) });
  mkdirSync(dirname(path), { recursive: true });
  // The private key of a test CSCA: readable by the owner only, all the same.
  writeFileSync(path, serializeTestCredential(csca), { mode: 0o600 });
  return csca;
}
