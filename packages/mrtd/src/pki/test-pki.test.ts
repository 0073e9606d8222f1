import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSod } from '../pa/sod.ts';
import { verifyPassive } from '../pa/verify-passive.ts';
import { encodePem, formatName } from './certificate.ts';
import { parseCrl } from './crl.ts';
import { signSod } from './sign-sod.ts';
import { createCrl, createTestPki, issueDocumentSigner, type TestPki } from './test-pki.ts';
import { TrustStore } from './trust-store.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const DG1 = Uint8Array.of(0x61, 0x05, 0x5f, 0x1f, 0x02, 0x41, 0x42);
const DG2 = Uint8Array.of(0x75, 0x03, 0x01, 0x02, 0x03);
const DGS = new Map([
  [1, DG1],
  [2, DG2],
]);

// One EC P-256 PKI for most cases (fast); RSA only where RSA is the subject.
const pki = createTestPki({ now: NOW });
const trust = (...cscas: TestPki['csca'][]): TrustStore =>
  TrustStore.fromCertificates(cscas.map((c) => c.der));

const failures = (r: ReturnType<typeof verifyPassive>): string[] =>
  r.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}/${c.code}`);

test('createTestPki: a UTO CSCA and Document Signer following the ICAO 9303-12 profile', () => {
  const csca = pki.csca.certificate;
  const ds = pki.documentSigner.certificate;
  assert.equal(pki.country, 'UTO');
  assert.equal(formatName(csca.subject), 'C=UT, O=Government of UTO, CN=CSCA UTO');
  assert.equal(formatName(ds.issuer), formatName(csca.subject));
  assert.equal(csca.isCa, true);
  assert.equal(csca.keyUsage?.[5], true);
  assert.equal(ds.keyUsage?.[0], true);
  assert.deepEqual(ds.authorityKeyIdentifier, csca.subjectKeyIdentifier);
  assert.ok(ds.notBefore < NOW && NOW < ds.notAfter);
});

test('signSod output verifies with verifyPassive for EC P-256, brainpoolP256r1 and RSA-PSS', () => {
  const rsa = createTestPki({
    now: NOW,
    cscaKey: 'ec-p256',
    documentSignerKey: 'rsa-2048',
    rsaScheme: 'pss',
  });
  const brainpool = createTestPki({
    now: NOW,
    cscaKey: 'ec-brainpoolP384r1',
    documentSignerKey: 'ec-brainpoolP256r1',
  });
  for (const p of [pki, rsa, brainpool]) {
    const sod = signSod({
      dataGroups: DGS,
      documentSigner: p.documentSigner,
      ldsVersion: '0108',
      unicodeVersion: '040000',
    });
    const store = trust(p.csca);
    store.addCrl(createCrl({ csca: p.csca, now: NOW }));
    const r = verifyPassive({ sod, dataGroups: DGS, trustStore: store, now: NOW });
    assert.deepEqual(failures(r), [], p.documentSigner.keyAlgorithm);
    assert.ok(
      r.checks.every((c) => c.status === 'passed'),
      p.documentSigner.keyAlgorithm,
    );
    assert.equal(parseSod(sod).ldsSecurityObject.version, 1);
  }
});

test('negative variants fail with their own codes', () => {
  const sod = (opts: Partial<Parameters<typeof signSod>[0]> = {}): Uint8Array =>
    signSod({ dataGroups: DGS, documentSigner: pki.documentSigner, ...opts });
  const run = (s: Uint8Array, store = trust(pki.csca), dataGroups = DGS): string[] =>
    failures(verifyPassive({ sod: s, dataGroups, trustStore: store, now: NOW }));

  assert.deepEqual(run(sod({ tamper: 'signature' })), ['sod_signature/ERR_PA_SOD_SIGNATURE']);
  assert.deepEqual(run(sod({ tamper: 'message_digest' })), ['signed_attributes/ERR_PA_MESSAGE_DIGEST']);
  // Altered content (the last byte is in DG2's hash): the digest no longer matches, nor does DG2.
  assert.deepEqual(run(sod({ tamper: 'content' })), [
    'signed_attributes/ERR_PA_MESSAGE_DIGEST',
    'data_group_hashes/ERR_PA_DG_HASH_MISMATCH',
  ]);

  const expired = issueDocumentSigner({ csca: pki.csca, now: NOW, validity: 'expired' });
  assert.deepEqual(run(sod({ documentSigner: expired })), ['dsc_validity/ERR_PA_DSC_EXPIRED']);
  const future = issueDocumentSigner({ csca: pki.csca, now: NOW, validity: 'not_yet_valid' });
  assert.deepEqual(run(sod({ documentSigner: future })), ['dsc_validity/ERR_PA_DSC_NOT_YET_VALID']);

  const revokedStore = trust(pki.csca);
  revokedStore.addCrl(
    createCrl({ csca: pki.csca, now: NOW, revokedSerials: [pki.documentSigner.certificate.serialNumber] }),
  );
  assert.deepEqual(run(sod(), revokedStore), ['dsc_revocation/ERR_PA_DSC_REVOKED']);

  const staleStore = trust(pki.csca);
  staleStore.addCrl(
    createCrl({ csca: pki.csca, thisUpdate: new Date('2025-01-01'), nextUpdate: new Date('2025-04-01') }),
  );
  assert.deepEqual(run(sod(), staleStore), ['dsc_revocation/ERR_PA_CRL_NOT_CURRENT']);

  // A CSCA of another (unknown) PKI with the same name: its key identifier differs, so no issuer is found.
  const impostor = createTestPki({ now: NOW });
  assert.deepEqual(run(sod(), trust(impostor.csca)), ['dsc_chain/ERR_PA_CSCA_NOT_FOUND']);
  // A CRL from the impostor does not apply; a CRL with a broken signature is refused.
  const otherCrlStore = trust(pki.csca);
  otherCrlStore.addCrl(createCrl({ csca: impostor.csca, now: NOW }));
  assert.equal(
    verifyPassive({ sod: sod(), dataGroups: DGS, trustStore: otherCrlStore, now: NOW }).checks.find(
      (c) => c.id === 'dsc_revocation',
    )?.status,
    'not_applicable',
  );
  const brokenCrl = createCrl({ csca: pki.csca, now: NOW });
  brokenCrl[brokenCrl.length - 1] = (brokenCrl[brokenCrl.length - 1] ?? 0) ^ 1;
  const brokenCrlStore = trust(pki.csca);
  brokenCrlStore.addCrl(encodePem(brokenCrl, 'X509 CRL'));
  assert.deepEqual(run(sod(), brokenCrlStore), ['dsc_revocation/ERR_PA_CRL_SIGNATURE']);
  const elsewhere = createTestPki({ now: NOW, country: 'XXA' });
  assert.deepEqual(run(sod(), trust(elsewhere.csca)), ['dsc_chain/ERR_PA_CSCA_NOT_FOUND']);

  assert.deepEqual(run(sod(), trust(pki.csca), new Map([[1, DG2]])), [
    'data_group_hashes/ERR_PA_DG_HASH_MISMATCH',
  ]);
  assert.deepEqual(run(sod(), trust(pki.csca), new Map([...DGS, [11, DG2]])), [
    'data_group_hashes/ERR_PA_DG_NOT_IN_SOD',
  ]);
  const partial = verifyPassive({
    sod: sod(),
    dataGroups: new Map([[1, DG1]]),
    trustStore: trust(pki.csca),
    now: NOW,
  });
  assert.equal(partial.ok, true);
  assert.deepEqual(
    partial.dataGroups.map((d) => `${d.dg}:${d.status}`),
    ['1:valid', '2:not_read'],
  );
});

test('createCrl: RFC 5280 v2 CRL with revoked serials, parseable from DER and PEM', () => {
  const der = createCrl({ csca: pki.csca, now: NOW, revokedSerials: [5n, Uint8Array.of(0x01, 0x02)] });
  const crl = parseCrl(encodePem(der, 'X509 CRL'));
  assert.deepEqual(
    crl.revoked.map((r) => Buffer.from(r.serialNumber).toString('hex')),
    ['05', '0102'],
  );
  assert.deepEqual(crl.authorityKeyIdentifier, pki.csca.certificate.subjectKeyIdentifier);
  assert.ok(crl.nextUpdate !== undefined && crl.nextUpdate > NOW);
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('OpenSSL accepts the generated certificates, CRL and SOD', (t) => {
  if (!hasOpenssl()) {
    t.skip('openssl not found on PATH: OpenSSL interoperability not checked');
    return;
  }
  const rsa = createTestPki({
    now: new Date(),
    cscaKey: 'ec-p256',
    documentSignerKey: 'rsa-2048',
    rsaScheme: 'pss',
  });
  const ec = createTestPki({ now: new Date(), documentSignerKey: 'ec-brainpoolP256r1' });
  const dir = mkdtempSync(join(tmpdir(), 'tillid-test-pki-'));
  try {
    for (const [name, p] of [
      ['ec', ec],
      ['rsa', rsa],
    ] as const) {
      const csca = join(dir, `${name}-csca.pem`);
      const ds = join(dir, `${name}-ds.pem`);
      const sodFile = join(dir, `${name}-sod.der`);
      const crlFile = join(dir, `${name}-crl.der`);
      writeFileSync(csca, p.csca.pem);
      writeFileSync(ds, p.documentSigner.pem);
      // ICAO 9303-10: EF.SOD is tag 77 around the ContentInfo; OpenSSL wants the bare ContentInfo.
      const sod = signSod({ dataGroups: DGS, documentSigner: p.documentSigner });
      writeFileSync(sodFile, sod.subarray(4));
      writeFileSync(crlFile, createCrl({ csca: p.csca, revokedSerials: [7n] }));
      const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', ds], { encoding: 'utf8' });
      assert.match(text, /Digital Signature/);
      execFileSync('openssl', ['x509', '-noout', '-text', '-in', csca], { encoding: 'utf8' });
      execFileSync('openssl', ['verify', '-CAfile', csca, ds], { encoding: 'utf8' });
      execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-CAfile', csca], {
        stdio: 'pipe',
      });
      const out = execFileSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-CAfile',
          csca,
          '-inform',
          'DER',
          '-in',
          sodFile,
          '-out',
          join(dir, 'content.der'),
        ],
        { stdio: 'pipe' },
      );
      assert.ok(out !== undefined);
      assert.equal(sod[0], 0x77);
      assert.equal(sod[1], 0x82);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
