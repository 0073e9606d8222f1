import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { MrtdError } from '../errors.ts';
import { formatName, parseCertificate } from './certificate.ts';
import { parseMasterList } from './master-list.ts';
import { createMasterList } from './sign-sod.ts';
import { createTestPki } from './test-pki.ts';
import { TrustStore } from './trust-store.ts';
import { verifyMasterList } from './verify-master-list.ts';

const FIXTURES = new URL('../../test/fixtures/masterlists/', import.meta.url);
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, FIXTURES)));
const NOW = new Date('2026-11-25T00:00:00Z');

// Parsed once per file (DE: 900 KB, 588 certificates).
const deBytes = read('DE_ML_2026-05-28-08-28-45.ml');
const nlBytes = read('NL_ML_2026-07-22.ml');
const de = parseMasterList(deBytes);
const nl = parseMasterList(nlBytes);
const deRoot = parseCertificate(read('DE_ROOT_CA_CSCA07.cer'));
const nlRoot = parseCertificate(read('NL_ROOT_CA.cer'));

test('both master lists parse with the README certificate counts', () => {
  assert.equal(de.certificates.length, 588);
  assert.equal(nl.certificates.length, 411);
  assert.equal(de.rejected.length + nl.rejected.length, 0);
  assert.match(
    formatName(de.signer?.subject ?? { der: new Uint8Array(), rdns: [] }),
    /CN=CSCA Master List Signer/,
  );
  assert.match(
    formatName(nl.signer?.subject ?? { der: new Uint8Array(), rdns: [] }),
    /CN=Masterlist Signer NL/,
  );
  assert.equal(de.signerInfo.sid.kind, 'subjectKeyIdentifier');
  assert.equal(nl.signerInfo.sid.kind, 'subjectKeyIdentifier');
});

test('master list signers verify and chain to their national roots, not to the other one', () => {
  assert.equal(verifyMasterList(de, { trustAnchors: [deRoot], now: NOW }).anchor, deRoot);
  assert.equal(verifyMasterList(nl, { trustAnchors: [nlRoot], now: NOW }).anchor, nlRoot);
  assert.throws(() => verifyMasterList(de, { trustAnchors: [nlRoot], now: NOW }), {
    code: 'ERR_TRUST_ANCHOR',
  });
  assert.throws(() => verifyMasterList(nl, { trustAnchors: [deRoot], now: NOW }), {
    code: 'ERR_TRUST_ANCHOR',
  });
  assert.throws(() => verifyMasterList(nl, { trustAnchors: [nlRoot], now: new Date('2050-01-01') }), {
    code: 'ERR_TRUST_ANCHOR',
  });
});

test('a trust store holds the union of both lists (627 distinct certificates)', () => {
  const store = new TrustStore();
  const a = store.addMasterList(deBytes, { trustAnchors: [deRoot], now: NOW });
  const b = store.addMasterList(nlBytes, { trustAnchors: [nlRoot], now: NOW });
  assert.equal(a.added, 588);
  assert.equal(b.added + b.duplicates, 411);
  assert.equal(b.duplicates, 372);
  assert.equal(store.size, 627);
});

test('a master list whose content was altered is refused and nothing is trusted', () => {
  const bytes = new Uint8Array(nlBytes);
  const content = nl.signedData.eContent;
  const at = content.byteOffset - nlBytes.byteOffset + 5000;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  const store = new TrustStore();
  assert.throws(() => store.addMasterList(bytes, { trustAnchors: [nlRoot], now: NOW }), {
    code: 'ERR_SIGNATURE_INVALID',
  });
  assert.equal(store.size, 0);
});

test('a UTO master list made with createMasterList loads with its CSCA as anchor', () => {
  const pki = createTestPki({ now: NOW });
  const other = createTestPki({ now: NOW, country: 'XXA' });
  const ml = createMasterList({ certificates: [pki.csca.der, other.csca.der], signer: pki.csca });
  const store = new TrustStore();
  assert.equal(store.addMasterList(ml, { trustAnchors: [pki.csca.pem], now: NOW }).added, 2);
  assert.throws(() => new TrustStore().addMasterList(ml, { trustAnchors: [other.csca.der], now: NOW }), {
    code: 'ERR_TRUST_ANCHOR',
  });
});

test('mutated master lists only ever raise MrtdError', () => {
  const pki = createTestPki({ now: NOW });
  const small = createMasterList({ certificates: [pki.csca.der, pki.documentSigner.der], signer: pki.csca });
  const check = (seed: Uint8Array, edits: [number, number][], cut: number | undefined): void => {
    const bytes = new Uint8Array(seed);
    for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
    try {
      const ml = parseMasterList(cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length));
      verifyMasterList(ml, { trustAnchors: [pki.csca.certificate, nlRoot], now: NOW });
    } catch (e) {
      assert.ok(e instanceof MrtdError, `unexpected ${String(e)}`);
    }
  };
  const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 4,
  });
  const cut = fc.option(fc.nat(), { nil: undefined });
  fc.assert(
    fc.property(edits, cut, (e, c) => check(small, e, c)),
    { numRuns: 400 },
  );
  // The real list is large: a few runs only, edits within its first kilobytes (CMS and list headers).
  const headEdits = fc.array(fc.tuple(fc.nat({ max: 4000 }), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 2,
  });
  fc.assert(
    fc.property(headEdits, (e) => check(nlBytes, e, undefined)),
    { numRuns: 15 },
  );
});
