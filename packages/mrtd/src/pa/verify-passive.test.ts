import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TrustStore } from '../pki/trust-store.ts';
import type { PassiveAuthFailureCode, PassiveAuthReport } from './passive-auth-report.ts';
import { parseSod } from './sod.ts';
import { verifyCardSecurity, verifyPassive } from './verify-passive.ts';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, FIXTURES)));
// A fixed clock: the date the fixtures README was checked.
const NOW = new Date('2026-11-25T00:00:00Z');

// Built once per file: the DE list alone is 900 KB / 588 certificates.
const deStore = new TrustStore();
deStore.addMasterList(read('masterlists/DE_ML_2026-05-28-08-28-45.ml'), {
  trustAnchors: [read('masterlists/DE_ROOT_CA_CSCA07.cer')],
  now: NOW,
});
const nlStore = new TrustStore();
nlStore.addMasterList(read('masterlists/NL_ML_2026-07-22.ml'), {
  trustAnchors: [read('masterlists/NL_ROOT_CA.cer')],
  now: NOW,
});
const idnCerts = readdirSync(new URL('masterlists/IDN_2010_SERIES_CSCA_CERT/', FIXTURES)).map((f) =>
  read(`masterlists/IDN_2010_SERIES_CSCA_CERT/${f}`),
);
const allStore = new TrustStore();
for (const c of [...deStore.certificates, ...nlStore.certificates]) allStore.addCsca(c);
for (const c of idnCerts) allStore.addCsca(c);

// README "Chains to": the CSCA serials (hex) in each master list that verify the DSC.
const CHAINS: Readonly<Record<string, { de: string[]; nl: string[] }>> = {
  'AT.EF_SOD.bin': { de: ['047F', '16DA979699F90356'], nl: ['16DA979699F90356'] },
  'AU.EF_SOD.bin': { de: ['311B'], nl: ['311B'] },
  'CN.EF_SOD.bin': { de: ['55FDDF6FB9C6369A'], nl: ['55FDDF6FB9C6369A'] },
  'DE.EF_SOD.bin': { de: ['048B', '048D'], nl: ['048B'] },
  'DE.EF_CardSecurity.bin': { de: ['048B', '048D'], nl: ['048B'] },
  'FI.EF_SOD.bin': { de: ['9EB100', '9EB101'], nl: ['9EB100'] },
  'FI.EF_CardSecurity.bin': { de: ['9EB100', '9EB101'], nl: ['9EB100'] },
  'FR.EF_SOD.bin': {
    de: ['11201424CC5C44173F33CDF3F6D1DBF38E52'],
    nl: ['11201424CC5C44173F33CDF3F6D1DBF38E52'],
  },
  'GB.EF_SOD-1.bin': { de: ['492EEB29', '492EEB2B'], nl: ['492EEB29'] },
  'GB.EF_SOD-2.bin': { de: ['492EAE16'], nl: ['492EAE16'] },
  'MY.EF_SOD.bin': { de: ['3C99DFD4C3F358E8'], nl: ['3C99DFD4C3F358E8'] },
  'NZ.EF_SOD.bin': { de: ['42E578F1'], nl: ['42E578F1'] },
  'PH.EF_SOD.bin': { de: ['22D9252BFFE6A957'], nl: ['22D9252BFFE6A957'] },
  'RU.EF_SOD.bin': { de: ['CB', 'D27A143D92FAA3F8'], nl: ['D27A143D92FAA3F8'] },
  'SG.EF_SOD-1.bin': { de: ['5FCD850B', '58ED1EE3'], nl: ['5FCD850B'] },
  'SG.EF_SOD-2.bin': { de: ['5FCD850B', '58ED1EE3'], nl: ['5FCD850B'] },
  'US.EF_SOD.bin': { de: ['4E32D006', '4E32D03F'], nl: ['4E32D006'] },
};

// The DSCs that do NOT chain to a CSCA in a master list, and why.
const NOT_IN_MASTER_LISTS: Readonly<Record<string, string>> = {
  'ID.EF_SOD.bin':
    'Indonesia 2020-10 CSCA is in neither list; it chains to IDN_2010_SERIES_CSCA_CERT/2020-10_CSCA.cer',
};

function verifyFile(file: string, trustStore: TrustStore, now = NOW): PassiveAuthReport {
  const bytes = read(`real-sod/${file}`);
  return file.includes('CardSecurity')
    ? verifyCardSecurity({ cardSecurity: bytes, trustStore, now })
    : verifyPassive({ sod: bytes, trustStore, now });
}

const status = (r: PassiveAuthReport, id: string): string => {
  const c = r.checks.find((x) => x.id === id);
  return c === undefined ? 'missing' : c.code === undefined ? c.status : `${c.status}/${c.code}`;
};

test('real SODs: structure, signed attributes and signature pass; DSC chains where the README says', () => {
  for (const [file, chains] of Object.entries(CHAINS)) {
    for (const [which, store] of [
      ['de', deStore],
      ['nl', nlStore],
    ] as const) {
      const r = verifyFile(file, store);
      assert.equal(status(r, 'sod_structure'), 'passed', file);
      assert.equal(status(r, 'signed_attributes'), 'passed', file);
      assert.equal(status(r, 'sod_signature'), 'passed', file);
      assert.equal(status(r, 'dsc_chain'), 'passed', `${file} (${which})`);
      assert.ok(
        chains[which].includes(r.csca?.serialNumber ?? ''),
        `${file} (${which}): ${r.csca?.serialNumber}`,
      );
      assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'the report is plain JSON');
    }
  }
});

test('real SODs that do not chain to a master list CSCA', () => {
  for (const [file, why] of Object.entries(NOT_IN_MASTER_LISTS)) {
    for (const store of [deStore, nlStore]) {
      const r = verifyFile(file, store);
      assert.equal(status(r, 'sod_signature'), 'passed', file);
      assert.equal(status(r, 'dsc_chain'), 'failed/ERR_PA_CSCA_NOT_FOUND', `${file}: ${why}`);
      assert.equal(status(r, 'csca_validity'), 'not_applicable');
      assert.equal(r.ok, false);
    }
  }
  const id = verifyFile('ID.EF_SOD.bin', TrustStore.fromCertificates(idnCerts));
  assert.equal(id.ok, true);
  assert.match(id.csca?.subject ?? '', /C=ID/);
  assert.equal(
    id.csca?.notAfter,
    '2036-01-20T16:59:59.000Z',
    'the valid 2020-10 CSCA, not its expired link cert',
  );
});

test('at 2026-11-25 every real document verifies except GB-2 (DSC and CSCA expired)', () => {
  const files = [...Object.keys(CHAINS), ...Object.keys(NOT_IN_MASTER_LISTS)];
  const failing = files.filter((f) => !verifyFile(f, allStore).ok);
  assert.deepEqual(failing, ['GB.EF_SOD-2.bin']);
  const gb2 = verifyFile('GB.EF_SOD-2.bin', allStore);
  assert.equal(status(gb2, 'dsc_validity'), 'failed/ERR_PA_DSC_EXPIRED');
  assert.equal(status(gb2, 'csca_validity'), 'failed/ERR_PA_CSCA_EXPIRED');
  assert.equal(status(gb2, 'sod_signature'), 'passed');
  // While it was valid, it verified.
  assert.equal(verifyFile('GB.EF_SOD-2.bin', allStore, new Date('2020-01-01T00:00:00Z')).ok, true);
  assert.equal(status(gb2, 'dsc_revocation'), 'not_applicable');
  assert.deepEqual(
    gb2.dataGroups.map((d) => `${d.dg}:${d.status}`),
    ['1:not_read', '2:not_read'],
  );
});

test('accepted deviations are recorded as warnings (CN id-data, RU SHA-1, MY signer RDN order)', () => {
  assert.deepEqual(verifyFile('CN.EF_SOD.bin', allStore).warnings, ['econtent_type_id_data']);
  assert.deepEqual(verifyFile('RU.EF_SOD.bin', allStore).warnings, ['weak_hash_sha1']);
  assert.deepEqual(verifyFile('MY.EF_SOD.bin', allStore).warnings, ['signer_name_order']);
  assert.deepEqual(verifyFile('FR.EF_SOD.bin', allStore).warnings, []);
});

function tamper(file: string, locate: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  const bytes = new Uint8Array(read(`real-sod/${file}`));
  const region = locate(bytes);
  const at = region.byteOffset - bytes.byteOffset + region.length - 1;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes;
}

test('tampered real SODs fail with their own codes', () => {
  const cases: readonly [string, (b: Uint8Array) => Uint8Array, string, PassiveAuthFailureCode][] = [
    ['FR.EF_SOD.bin', (b) => parseSod(b).signerInfo.signature, 'sod_signature', 'ERR_PA_SOD_SIGNATURE'],
    ['DE.EF_SOD.bin', (b) => parseSod(b).signerInfo.signature, 'sod_signature', 'ERR_PA_SOD_SIGNATURE'],
    ['FR.EF_SOD.bin', (b) => parseSod(b).signedData.eContent, 'signed_attributes', 'ERR_PA_MESSAGE_DIGEST'],
    ['GB.EF_SOD-1.bin', (b) => parseSod(b).signedData.eContent, 'signed_attributes', 'ERR_PA_MESSAGE_DIGEST'],
    [
      'FR.EF_SOD.bin',
      (b) => parseSod(b).documentSigner?.signature ?? new Uint8Array(),
      'dsc_chain',
      'ERR_PA_DSC_SIGNATURE',
    ],
  ];
  for (const [file, locate, check, code] of cases) {
    const r = verifyPassive({ sod: tamper(file, locate), trustStore: allStore, now: NOW });
    assert.equal(r.ok, false, `${file} ${check}`);
    assert.equal(status(r, check), `failed/${code}`, `${file} ${check}`);
    assert.equal(r.checks.filter((c) => c.status === 'failed').length, 1, `${file}: only ${check} fails`);
  }
  const garbage = verifyPassive({ sod: Uint8Array.of(0x77, 0x03, 1, 2, 3), trustStore: allStore, now: NOW });
  assert.equal(status(garbage, 'sod_structure'), 'failed/ERR_PA_SOD_FORMAT');
  assert.ok(garbage.checks.slice(1).every((c) => c.status === 'not_applicable'));
  assert.equal(garbage.ok, false);
});

test('data groups against a real SOD: a wrong DG fails, an unlisted DG fails, unread DGs do not', () => {
  const sod = read('real-sod/AU.EF_SOD.bin');
  const wrong = verifyPassive({
    sod,
    trustStore: allStore,
    now: NOW,
    dataGroups: new Map([[1, Uint8Array.of(0x61, 0)]]),
  });
  assert.equal(status(wrong, 'data_group_hashes'), 'failed/ERR_PA_DG_HASH_MISMATCH');
  assert.deepEqual(
    wrong.dataGroups.map((d) => `${d.dg}:${d.status}`),
    ['1:invalid', '2:not_read', '15:not_read'],
  );
  const extra = verifyPassive({
    sod,
    trustStore: allStore,
    now: NOW,
    dataGroups: new Map([[11, Uint8Array.of(0x6b, 0)]]),
  });
  assert.equal(status(extra, 'data_group_hashes'), 'failed/ERR_PA_DG_NOT_IN_SOD');
});
