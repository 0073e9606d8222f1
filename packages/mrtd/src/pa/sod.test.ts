import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseBer, toDefiniteLength } from '../asn1/der.ts';
import { toHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { formatName } from '../pki/certificate.ts';
import { decodeLdsSecurityObject, encodeLdsSecurityObject, parseCardSecurity, parseSod } from './sod.ts';
import { checkSignedAttributes, verifySignerSignature } from './verify-signer-info.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/real-sod/${name}`, import.meta.url)));

// From test/fixtures/README.md: LDS object version, hash and data groups of every real EF.SOD.
const SODS: readonly { file: string; version: number; hash: string; dgs: number[]; lds?: string }[] = [
  { file: 'AT.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 3, 11, 12, 14] },
  { file: 'AU.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 15] },
  { file: 'CN.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 11, 12, 15] },
  { file: 'DE.EF_SOD.bin', version: 1, hash: 'sha384', dgs: [1, 2, 3, 14], lds: '0108/040000' },
  { file: 'FI.EF_SOD.bin', version: 1, hash: 'sha512', dgs: [1, 2, 3, 7, 14], lds: '0108/040000' },
  { file: 'FR.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 3, 11, 12, 13, 14] },
  { file: 'GB.EF_SOD-1.bin', version: 1, hash: 'sha256', dgs: [1, 2, 14], lds: '0108/040000' },
  { file: 'GB.EF_SOD-2.bin', version: 0, hash: 'sha256', dgs: [1, 2] },
  { file: 'ID.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 3, 14, 15] },
  { file: 'MY.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 3, 11, 12, 14] },
  { file: 'NZ.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 12, 13, 14, 15] },
  { file: 'PH.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 7, 11, 12, 15] },
  { file: 'RU.EF_SOD.bin', version: 0, hash: 'sha1', dgs: [1, 2, 3, 13, 14] },
  { file: 'SG.EF_SOD-1.bin', version: 1, hash: 'sha256', dgs: [1, 2, 3, 4, 13, 14], lds: '0108/040000' },
  { file: 'SG.EF_SOD-2.bin', version: 1, hash: 'sha256', dgs: [1, 2, 3, 4, 13, 14], lds: '0108/040000' },
  { file: 'US.EF_SOD.bin', version: 0, hash: 'sha256', dgs: [1, 2, 11, 12] },
];

test('every real EF.SOD parses, and its signature verifies with the embedded DSC', () => {
  for (const e of SODS) {
    const sod = parseSod(fixture(e.file));
    const lso = sod.ldsSecurityObject;
    assert.equal(lso.version, e.version, e.file);
    assert.equal(lso.hashAlgorithm, e.hash, e.file);
    assert.deepEqual([...lso.dataGroupHashes.keys()], e.dgs, e.file);
    assert.equal(lso.ldsVersion === undefined ? undefined : `${lso.ldsVersion}/${lso.unicodeVersion}`, e.lds);
    assert.equal(sod.signedData.certificates.length, 1, e.file);
    assert.ok(sod.documentSigner, `${e.file}: SignerInfo names the embedded DSC`);
    assert.deepEqual(checkSignedAttributes(sod.signedData, sod.signerInfo), { ok: true }, e.file);
    assert.equal(verifySignerSignature(sod.signedData, sod.signerInfo, sod.documentSigner), true, e.file);
  }
});

test('oddities: CN declares id-data, NZ is BER with indefinite lengths, MY reorders the signer RDNs', () => {
  assert.equal(parseSod(fixture('CN.EF_SOD.bin')).signedData.eContentType, '1.2.840.113549.1.7.1');
  const nz = fixture('NZ.EF_SOD.bin');
  assert.equal(parseBer(nz).children[0]?.indefinite, true);
  const definite = toDefiniteLength(parseBer(nz));
  assert.notEqual(toHex(definite), toHex(nz));
  assert.equal(parseBer(definite).children[0]?.indefinite, false);
  assert.deepEqual(parseSod(definite).ldsSecurityObject, parseSod(nz).ldsSecurityObject);
  const my = parseSod(fixture('MY.EF_SOD.bin'));
  assert.equal(my.signerInfo.sid.kind, 'issuerAndSerialNumber');
  if (my.signerInfo.sid.kind === 'issuerAndSerialNumber') {
    assert.notEqual(
      toHex(my.signerInfo.sid.issuer.der),
      toHex(my.documentSigner?.issuer.der ?? new Uint8Array()),
    );
  }
  assert.match(formatName(my.documentSigner?.subject ?? { der: new Uint8Array(), rdns: [] }), /C=MY/);
});

test('EF.CardSecurity (DE, FI): id-SecurityObject content is returned as raw SecurityInfos', () => {
  for (const f of ['DE.EF_CardSecurity.bin', 'FI.EF_CardSecurity.bin']) {
    const cs = parseCardSecurity(fixture(f));
    assert.equal(cs.signedData.eContentType, '0.4.0.127.0.7.3.2.1');
    assert.equal(cs.securityInfos[0], 0x31, 'SecurityInfos is a SET OF');
    assert.ok(cs.documentSigner);
    assert.equal(verifySignerSignature(cs.signedData, cs.signerInfo, cs.documentSigner), true);
  }
  assert.throws(() => parseCardSecurity(fixture('DE.EF_SOD.bin').subarray(4)), { code: 'ERR_CMS_FORMAT' });
  assert.throws(() => parseSod(fixture('DE.EF_CardSecurity.bin')), { code: 'ERR_CMS_FORMAT' });
});

test('LDSSecurityObject v0 and v1 round-trip through encode/decode', () => {
  for (const e of SODS) {
    const original = parseSod(fixture(e.file)).signedData.eContent;
    const decoded = decodeLdsSecurityObject(original);
    const again = decodeLdsSecurityObject(encodeLdsSecurityObject(decoded));
    assert.deepEqual(again, decoded, e.file);
  }
});

test('mutated EF.SOD / EF.CardSecurity bytes only ever raise MrtdError', () => {
  const seeds = [fixture('NZ.EF_SOD.bin'), fixture('DE.EF_SOD.bin'), fixture('FI.EF_CardSecurity.bin')];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat(), { nil: undefined }),
      (which, edits, cut) => {
        const bytes = new Uint8Array(seeds[which] ?? new Uint8Array());
        for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
        const input = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
        for (const parse of [parseSod, parseCardSecurity]) {
          try {
            parse(input);
          } catch (err) {
            assert.ok(err instanceof MrtdError, `unexpected ${String(err)}`);
          }
        }
      },
    ),
    { numRuns: 400 },
  );
});
