// Test documents and read results as a directory of raw files: EF_COM.bin, EF_SOD.bin, DG1.bin, …,
// plus chip.json (the chip's secrets), csca.der (the trust anchor) and csca.crl. Node only.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AaHash } from '../aa/aa-algorithms.ts';
import type { AaPrivateKey } from '../aa/aa-signer.ts';
import { fromHex, toHex } from '../bytes.ts';
import { type CurveName, curveByName } from '../crypto/ec-curves.ts';
import { MrtdError } from '../errors.ts';
import { LDS_FILES, type LdsFileName } from '../lds/lds-file.ts';
import { type ChipSecrets, isTestDocumentDefect, type TestDocument } from './test-document.ts';

export const CHIP_SECRETS_FILE = 'chip.json';
export const CSCA_FILE = 'csca.der';
export const CRL_FILE = 'csca.crl';

/** EF.COM → EF_COM.bin, EF.CardAccess → EF_CardAccess.bin, DG2 → DG2.bin. */
export function ldsFileBinName(name: LdsFileName): string {
  return name.startsWith('DG') ? `${name}.bin` : `EF_${name}.bin`;
}

/** Writes raw LDS files into `dir` (created if needed); returns the file names written. */
export function writeLdsFiles(dir: string, files: ReadonlyMap<LdsFileName, Uint8Array>): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, data] of files) {
    const file = ldsFileBinName(name);
    writeFileSync(join(dir, file), data);
    written.push(file);
  }
  return written;
}

/** Reads every LDS file present in `dir`. */
export function readLdsFiles(dir: string): Map<LdsFileName, Uint8Array> {
  if (!existsSync(dir)) throw new MrtdError('ERR_USAGE', `no directory ${dir}`);
  const present = new Set(readdirSync(dir));
  const files = new Map<LdsFileName, Uint8Array>();
  for (const f of LDS_FILES) {
    const file = ldsFileBinName(f.name);
    if (present.has(file)) files.set(f.name, new Uint8Array(readFileSync(join(dir, file))));
  }
  return files;
}

type Json = Record<string, unknown>;
const big = (v: bigint): string => v.toString(16);
const unbig = (v: unknown): bigint => {
  if (typeof v !== 'string' || !/^[0-9a-f]+$/i.test(v))
    throw new MrtdError('ERR_TEST_DOCUMENT', 'bad key number');
  return BigInt(`0x${v}`);
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string')
    throw new MrtdError('ERR_TEST_DOCUMENT', `${CHIP_SECRETS_FILE}: ${what} missing`);
  return v;
};

function aaToJson(key: AaPrivateKey): Json {
  if (key.kind === 'ec') return { kind: 'ec', curve: key.curve.name, d: toHex(key.d), hash: key.hash };
  return {
    kind: 'rsa',
    n: big(key.n),
    d: big(key.d),
    hash: key.hash,
    ...(key.crt
      ? {
          crt: {
            p: big(key.crt.p),
            q: big(key.crt.q),
            dp: big(key.crt.dp),
            dq: big(key.crt.dq),
            qi: big(key.crt.qi),
          },
        }
      : {}),
  };
}

function aaFromJson(j: Json): AaPrivateKey {
  const hash = str(j.hash, 'AA hash') as AaHash;
  if (j.kind === 'ec') {
    return {
      kind: 'ec',
      curve: curveByName(str(j.curve, 'AA curve') as CurveName),
      d: fromHex(str(j.d, 'AA key')),
      hash,
    };
  }
  const crt = j.crt as Json | undefined;
  return {
    kind: 'rsa',
    n: unbig(j.n),
    d: unbig(j.d),
    hash,
    ...(crt
      ? { crt: { p: unbig(crt.p), q: unbig(crt.q), dp: unbig(crt.dp), dq: unbig(crt.dq), qi: unbig(crt.qi) } }
      : {}),
  };
}

export function serializeChipSecrets(chip: ChipSecrets): string {
  const ca = chip.chipAuthentication;
  const json = {
    kind: 'tillid-virtual-chip',
    version: 1,
    mrz: chip.mrz,
    mrzInformation: chip.mrzInformation,
    can: chip.can,
    bac: chip.bac,
    paceInfos: chip.paceInfos,
    ...(chip.activeAuthentication ? { activeAuthentication: aaToJson(chip.activeAuthentication) } : {}),
    ...(ca
      ? {
          chipAuthentication: {
            curve: ca.curve,
            privateKey: toHex(ca.privateKey),
            protocol: ca.protocol,
            ...(ca.keyId !== undefined ? { keyId: ca.keyId } : {}),
          },
        }
      : {}),
    ...(chip.defect ? { defect: chip.defect } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function parseChipSecrets(text: string): ChipSecrets {
  let j: Json;
  try {
    j = JSON.parse(text) as Json;
  } catch (cause) {
    throw new MrtdError('ERR_TEST_DOCUMENT', `${CHIP_SECRETS_FILE} is not JSON`, { cause });
  }
  if (j.kind !== 'tillid-virtual-chip' || j.version !== 1) {
    throw new MrtdError('ERR_TEST_DOCUMENT', `${CHIP_SECRETS_FILE} is not a virtual chip description`);
  }
  const mrz = j.mrz;
  if (!Array.isArray(mrz) || !mrz.every((l) => typeof l === 'string')) {
    throw new MrtdError('ERR_TEST_DOCUMENT', `${CHIP_SECRETS_FILE}: mrz missing`);
  }
  const paceInfos = Array.isArray(j.paceInfos) ? (j.paceInfos as ChipSecrets['paceInfos']) : [];
  const ca = j.chipAuthentication as Json | undefined;
  const aa = j.activeAuthentication as Json | undefined;
  const defect = typeof j.defect === 'string' && isTestDocumentDefect(j.defect) ? j.defect : undefined;
  return {
    mrz,
    mrzInformation: str(j.mrzInformation, 'mrzInformation'),
    can: str(j.can, 'can'),
    bac: j.bac !== false,
    paceInfos,
    ...(aa ? { activeAuthentication: aaFromJson(aa) } : {}),
    ...(ca
      ? {
          chipAuthentication: {
            curve: str(ca.curve, 'CA curve') as CurveName,
            privateKey: fromHex(str(ca.privateKey, 'CA key')),
            protocol: str(ca.protocol, 'CA protocol'),
            ...(typeof ca.keyId === 'number' ? { keyId: ca.keyId } : {}),
          },
        }
      : {}),
    ...(defect ? { defect } : {}),
  };
}

/** Saves the document's files, its chip secrets, the test CSCA and any CRL into `dir`. */
export function saveTestDocument(dir: string, document: TestDocument): string[] {
  const written = writeLdsFiles(dir, document.files);
  writeFileSync(join(dir, CHIP_SECRETS_FILE), serializeChipSecrets(document.chip), { mode: 0o600 });
  writeFileSync(join(dir, CSCA_FILE), document.cscaCertificate);
  written.push(CHIP_SECRETS_FILE, CSCA_FILE);
  if (document.crl) {
    writeFileSync(join(dir, CRL_FILE), document.crl);
    written.push(CRL_FILE);
  }
  return written;
}

export function loadTestDocument(dir: string): TestDocument {
  const secretsPath = join(dir, CHIP_SECRETS_FILE);
  if (!existsSync(secretsPath)) {
    throw new MrtdError(
      'ERR_TEST_DOCUMENT',
      `${dir} holds no ${CHIP_SECRETS_FILE}: not a virtual chip directory`,
    );
  }
  const chip = parseChipSecrets(readFileSync(secretsPath, 'utf8'));
  const cscaPath = join(dir, CSCA_FILE);
  const crlPath = join(dir, CRL_FILE);
  return {
    files: readLdsFiles(dir),
    chip,
    cscaCertificate: existsSync(cscaPath) ? new Uint8Array(readFileSync(cscaPath)) : new Uint8Array(0),
    ...(existsSync(crlPath) ? { crl: new Uint8Array(readFileSync(crlPath)) } : {}),
  };
}
