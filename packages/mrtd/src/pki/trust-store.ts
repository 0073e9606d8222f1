// The set of trusted CSCA certificates and their CRLs that passive authentication checks against.
// Built explicitly by the caller (from verified master lists, DER/PEM files) and passed in: no global store.
import { toHex } from '../bytes.ts';
import { type Certificate, nameMatchKey, parseCertificates } from './certificate.ts';
import { type Crl, crlIssuedBy, parseCrl } from './crl.ts';
import { digest } from './digest.ts';
import { parseMasterList } from './master-list.ts';
import { mayBeIssuedBy } from './path.ts';
import { type MasterListVerification, verifyMasterList } from './verify-master-list.ts';

export interface AddMasterListOptions {
  /** Certificates trusted to sign master lists, e.g. DE_ROOT_CA_CSCA07.cer for the German list. */
  readonly trustAnchors: readonly (Certificate | Uint8Array | string)[];
  /** The time at which the list signer and anchor must be valid. */
  readonly now: Date;
}

export interface AddMasterListResult extends MasterListVerification {
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: number;
}

function toCertificates(input: Certificate | Uint8Array | string): Certificate[] {
  return input instanceof Uint8Array || typeof input === 'string' ? parseCertificates(input) : [input];
}

export class TrustStore {
  readonly #bySubject = new Map<string, Certificate[]>();
  readonly #fingerprints = new Set<string>();
  readonly #crls: Crl[] = [];

  /** Convenience: a store holding the given CSCA certificates (DER bytes, PEM text or parsed). */
  static fromCertificates(certs: readonly (Certificate | Uint8Array | string)[]): TrustStore {
    const store = new TrustStore();
    for (const c of certs) store.addCsca(c);
    return store;
  }

  /** Trusts CSCA certificates directly (e.g. bilaterally exchanged). Returns how many were new. */
  addCsca(input: Certificate | Uint8Array | string): number {
    let added = 0;
    for (const cert of toCertificates(input)) if (this.#add(cert)) added++;
    return added;
  }

  /**
   * Verifies a CSCA master list (its CMS signature, and its signer against `trustAnchors` at `now`) and,
   * only if that succeeds, trusts every CSCA certificate it lists. Throws MrtdError otherwise.
   */
  addMasterList(bytes: Uint8Array, options: AddMasterListOptions): AddMasterListResult {
    const ml = parseMasterList(bytes);
    const anchors = options.trustAnchors.flatMap(toCertificates);
    const verification = verifyMasterList(ml, { trustAnchors: anchors, now: options.now });
    let added = 0;
    for (const cert of ml.certificates) if (this.#add(cert)) added++;
    return {
      ...verification,
      added,
      duplicates: ml.certificates.length - added,
      rejected: ml.rejected.length,
    };
  }

  /** Adds a CRL (DER or PEM). Its signature is checked against the CSCA when it is used. */
  addCrl(input: Uint8Array | string): Crl {
    const crl = parseCrl(input);
    this.#crls.push(crl);
    return crl;
  }

  get size(): number {
    return this.#fingerprints.size;
  }

  get certificates(): readonly Certificate[] {
    return [...this.#bySubject.values()].flat();
  }

  /** CSCA certificates whose subject and key identifier fit `cert`'s issuer (signature not yet checked). */
  issuerCandidates(cert: Certificate): readonly Certificate[] {
    return (this.#bySubject.get(nameMatchKey(cert.issuer)) ?? []).filter((c) => mayBeIssuedBy(cert, c));
  }

  /** CRLs that name `csca` as issuer (signature not yet checked). */
  crlsFor(csca: Certificate): readonly Crl[] {
    return this.#crls.filter((crl) => crlIssuedBy(crl, csca));
  }

  #add(cert: Certificate): boolean {
    const fp = toHex(digest('sha256', cert.der));
    if (this.#fingerprints.has(fp)) return false;
    this.#fingerprints.add(fp);
    const key = nameMatchKey(cert.subject);
    const list = this.#bySubject.get(key);
    if (list === undefined) this.#bySubject.set(key, [cert]);
    else list.push(cert);
    return true;
  }
}
