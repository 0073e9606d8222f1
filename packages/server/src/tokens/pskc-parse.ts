// Reads a PSKC key container (RFC 6030) into plain data: keys, their device info, algorithm
// parameters and (plain or encrypted) values. Decryption is pskc-decrypt.ts; this file trusts nothing.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ServerError } from '../errors.ts';

/** An `xenc:EncryptedDataType` value (RFC 6030 §6): the algorithm and the raw CipherValue bytes. */
export interface PskcEncrypted {
  readonly algorithm: string;
  readonly cipher: Uint8Array;
}

export type PskcBinary =
  | { readonly kind: 'plain'; readonly value: Uint8Array }
  | { readonly kind: 'encrypted'; readonly encrypted: PskcEncrypted; readonly mac?: Uint8Array };

export interface PskcKey {
  /** 1-based position in the file, so error messages can name the key. */
  readonly position: number;
  readonly id: string;
  readonly algorithm: string;
  readonly issuer?: string;
  readonly manufacturer?: string;
  readonly serialNo?: string;
  readonly model?: string;
  readonly responseFormat?: { readonly length: number; readonly encoding: string };
  readonly secret?: PskcBinary;
  readonly counter?: number;
  readonly time?: number;
  readonly timeInterval?: number;
  readonly timeDrift?: number;
}

export interface PskcContainer {
  readonly version: string;
  readonly id?: string;
  /** How the container's values are protected (RFC 6030 §6.1-6.3), when they are. */
  readonly encryptionKey?:
    | { readonly kind: 'pre-shared'; readonly name: string }
    | { readonly kind: 'passphrase' }
    | { readonly kind: 'asymmetric' };
  readonly mac?: { readonly algorithm: string; readonly key?: PskcEncrypted };
  readonly keys: readonly PskcKey[];
}

/** Big enough for a bulk file of tens of thousands of devices; bounds parser memory. */
export const PSKC_MAX_BYTES = 32 * 1024 * 1024;

type Node = Record<string, unknown>;

function invalid(message: string, details?: Record<string, unknown>): ServerError {
  return new ServerError('ERR_PSKC_INVALID', `not a valid PSKC file: ${message}`, {
    status: 422,
    messageId: 'error.pskc.invalid',
    ...(details ? { details } : {}),
  });
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The single child element `name`; a repeated one is an error (the schema allows one). */
function child(node: unknown, name: string, where: string): unknown {
  if (!isNode(node)) return undefined;
  const v = node[name];
  if (Array.isArray(v)) throw invalid(`${where} has more than one <${name}>`);
  return v;
}

function children(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const v = node[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function text(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (isNode(v)) {
    const t = v['#text'];
    return typeof t === 'string' ? t : '';
  }
  return undefined;
}

function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const v = node[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

function optionalText(node: unknown, name: string, where: string): string | undefined {
  const t = text(child(node, name, where));
  return t === undefined || t === '' ? undefined : t;
}

/** xs:base64Binary, strictly: whitespace is allowed between characters, nothing else. */
export function decodeBase64(value: string, where: string): Uint8Array {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw invalid(`${where} is not base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  // RFC 4648 §3.5: non-zero pad bits make two texts decode alike; refuse them so no change goes unseen.
  if (bytes.toString('base64') !== compact) throw invalid(`${where} is not canonical base64`);
  return new Uint8Array(bytes);
}

function readEncrypted(node: unknown, where: string): PskcEncrypted {
  const algorithm = attr(child(node, 'EncryptionMethod', where), 'Algorithm');
  if (!algorithm) throw invalid(`${where} has no <xenc:EncryptionMethod Algorithm>`);
  const cipherData = child(node, 'CipherData', where);
  if (child(cipherData, 'CipherReference', where) !== undefined) {
    throw new ServerError('ERR_PSKC_UNSUPPORTED', `${where}: CipherReference is not supported`, {
      status: 422,
      messageId: 'error.pskc.unsupported',
    });
  }
  const value = text(child(cipherData, 'CipherValue', where));
  if (!value) throw invalid(`${where} has no <xenc:CipherValue>`);
  return { algorithm, cipher: decodeBase64(value, `${where} CipherValue`) };
}

/** RFC 6030 §4.1: a binary data element carries a PlainValue or an EncryptedValue (with ValueMAC). */
function readBinary(node: unknown, where: string): PskcBinary | undefined {
  if (node === undefined) return undefined;
  const plain = child(node, 'PlainValue', where);
  const encrypted = child(node, 'EncryptedValue', where);
  if (plain !== undefined && encrypted !== undefined) {
    throw invalid(`${where} has both PlainValue and EncryptedValue`);
  }
  if (plain !== undefined) return { kind: 'plain', value: decodeBase64(text(plain) ?? '', where) };
  if (encrypted !== undefined) {
    const macText = optionalText(node, 'ValueMAC', where);
    return {
      kind: 'encrypted',
      encrypted: readEncrypted(encrypted, `${where} EncryptedValue`),
      ...(macText === undefined ? {} : { mac: decodeBase64(macText, `${where} ValueMAC`) }),
    };
  }
  throw invalid(`${where} has neither PlainValue nor EncryptedValue`);
}

/** Integer data (Counter, Time, TimeInterval, TimeDrift); only plain values are accepted for these. */
function readInteger(node: unknown, where: string): number | undefined {
  if (node === undefined) return undefined;
  if (child(node, 'EncryptedValue', where) !== undefined) {
    throw new ServerError('ERR_PSKC_UNSUPPORTED', `${where}: encrypted integer values are not supported`, {
      status: 422,
      messageId: 'error.pskc.unsupported',
    });
  }
  const t = text(child(node, 'PlainValue', where));
  if (t === undefined || !/^-?\d{1,15}$/.test(t)) throw invalid(`${where} is not an integer`);
  return Number(t);
}

function readKey(key: unknown, pkg: unknown, position: number): PskcKey {
  const where = `key ${position}`;
  if (!isNode(key)) throw invalid(`${where} is empty`);
  const id = attr(key, 'Id');
  const algorithm = attr(key, 'Algorithm');
  // RFC 6030 §4.1: Id and Algorithm are required attributes of <Key>.
  if (!id) throw invalid(`${where} has no Id attribute`);
  if (!algorithm) throw invalid(`${where} (Id ${id}) has no Algorithm attribute`);
  const device = child(pkg, 'DeviceInfo', where);
  const format = child(child(key, 'AlgorithmParameters', where), 'ResponseFormat', where);
  let responseFormat: PskcKey['responseFormat'];
  if (format !== undefined) {
    const length = attr(format, 'Length');
    const encoding = attr(format, 'Encoding');
    if (!length || !/^\d{1,2}$/.test(length) || !encoding) {
      throw invalid(`${where} has a ResponseFormat without a valid Length and Encoding`);
    }
    responseFormat = { length: Number(length), encoding };
  }
  const data = child(key, 'Data', where);
  const secret = readBinary(child(data, 'Secret', where), `${where} Secret`);
  const fields: Record<string, unknown> = {
    issuer: optionalText(key, 'Issuer', where),
    manufacturer: optionalText(device, 'Manufacturer', where),
    serialNo: optionalText(device, 'SerialNo', where),
    model: optionalText(device, 'Model', where),
    responseFormat,
    secret,
    counter: readInteger(child(data, 'Counter', where), `${where} Counter`),
    time: readInteger(child(data, 'Time', where), `${where} Time`),
    timeInterval: readInteger(child(data, 'TimeInterval', where), `${where} TimeInterval`),
    timeDrift: readInteger(child(data, 'TimeDrift', where), `${where} TimeDrift`),
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { position, id, algorithm, ...present } as PskcKey;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'KeyPackage' || name === 'Key',
});

/** Parses a PSKC document. Anything malformed is ERR_PSKC_INVALID naming the problem; never another error. */
export function parsePskc(xml: string): PskcContainer {
  if (typeof xml !== 'string' || xml.length === 0) throw invalid('the file is empty');
  if (xml.length > PSKC_MAX_BYTES) throw invalid(`the file is larger than ${PSKC_MAX_BYTES} bytes`);
  // No DTDs: PSKC needs none, and entity declarations are the classic XML bomb / XXE vector.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('DOCTYPE and ENTITY declarations are not allowed');
  let doc: unknown;
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      throw invalid(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`, {
        line: valid.err.line,
        column: valid.err.col,
      });
    }
    doc = parser.parse(xml);
  } catch (e) {
    if (e instanceof ServerError) throw e;
    throw invalid('malformed XML', { reason: e instanceof Error ? e.message : String(e) });
  }
  const root = child(doc, 'KeyContainer', 'the document');
  if (!isNode(root)) throw invalid('the root element is not <KeyContainer>');
  const version = attr(root, 'Version');
  // RFC 6030 §4: Version MUST be "1.0" for this specification.
  if (version !== '1.0') throw invalid(`KeyContainer Version is ${version ?? 'missing'}, expected 1.0`);
  const id = attr(root, 'Id');

  let encryptionKey: PskcContainer['encryptionKey'];
  const ek = child(root, 'EncryptionKey', 'KeyContainer');
  if (ek !== undefined) {
    const name = text(child(ek, 'KeyName', 'EncryptionKey'));
    if (name) encryptionKey = { kind: 'pre-shared', name };
    else if (child(ek, 'DerivedKey', 'EncryptionKey') !== undefined) encryptionKey = { kind: 'passphrase' };
    else if (child(ek, 'X509Data', 'EncryptionKey') !== undefined) encryptionKey = { kind: 'asymmetric' };
    else throw invalid('EncryptionKey names no KeyName, DerivedKey or X509Data');
  }

  let mac: PskcContainer['mac'];
  const mm = child(root, 'MACMethod', 'KeyContainer');
  if (mm !== undefined) {
    const algorithm = attr(mm, 'Algorithm');
    if (!algorithm) throw invalid('MACMethod has no Algorithm');
    const mk = child(mm, 'MACKey', 'MACMethod');
    mac = { algorithm, ...(mk === undefined ? {} : { key: readEncrypted(mk, 'MACKey') }) };
  }

  const keys: PskcKey[] = [];
  for (const pkg of children(root, 'KeyPackage')) {
    for (const key of children(pkg, 'Key')) keys.push(readKey(key, pkg, keys.length + 1));
  }
  if (keys.length === 0) throw invalid('the container holds no keys');
  return {
    version,
    ...(id === undefined ? {} : { id }),
    ...(encryptionKey === undefined ? {} : { encryptionKey }),
    ...(mac === undefined ? {} : { mac }),
    keys,
  };
}
