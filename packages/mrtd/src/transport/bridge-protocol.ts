// The wire protocol of the local reader bridge (`tillid reader`, docs/reader-bridge.md): JSON text frames
// over a loopback WebSocket. Pure and dependency-free, so `tillid reader` (packages/server) and the app
// (apps/app/src/chip/reader-bridge.ts) share one codec (`@tillid/mrtd/bridge-protocol`).
// Decoders face whatever a peer sends: they return a Result, never throw.

export const BRIDGE_PROTOCOL_VERSION = 1;
export const BRIDGE_NAME = 'tillid-reader';
export const BRIDGE_DEFAULT_PORT = 8765;

/** ISO/IEC 7816-4 §5.1: the largest extended command (4 + 3 + 65535 + 2) and response (65536 + SW). */
export const MAX_COMMAND_APDU_BYTES = 65544;
export const MAX_RESPONSE_APDU_BYTES = 65538;
/** Largest text frame either side accepts: a maximal APDU in hex plus the envelope. */
export const MAX_MESSAGE_BYTES = 2 * MAX_COMMAND_APDU_BYTES + 1024;
const MAX_NAME_CHARS = 256;
const MAX_TEXT_CHARS = 1024;
const MAX_ID = 0x7fffffff;

/** Closed set of error codes on the wire; the app translates each one. */
export const BRIDGE_ERROR_CODES = [
  'ERR_BAD_MESSAGE',
  'ERR_UNKNOWN_TYPE',
  'ERR_TOO_LARGE',
  'ERR_HELLO_REQUIRED',
  'ERR_PROTOCOL_VERSION',
  'ERR_BUSY',
  'ERR_PCSCD_NOT_RUNNING',
  'ERR_NO_READER',
  'ERR_NO_CARD',
  'ERR_CARD_REMOVED',
  'ERR_NOT_CONNECTED',
  'ERR_TRANSPORT',
  'ERR_INTERNAL',
] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

export function isBridgeErrorCode(v: unknown): v is BridgeErrorCode {
  return typeof v === 'string' && (BRIDGE_ERROR_CODES as readonly string[]).includes(v);
}

// ---------------------------------------------------------------- client → bridge

export type ClientMessage =
  | { readonly type: 'hello'; readonly id: number; readonly protocol: number }
  | { readonly type: 'list-readers'; readonly id: number }
  /** `reader`: a part of the reader's name; absent: the first reader with a card. */
  | { readonly type: 'connect'; readonly id: number; readonly reader?: string }
  | { readonly type: 'transmit'; readonly id: number; readonly apdu: Uint8Array }
  | { readonly type: 'disconnect'; readonly id: number };

export const CLIENT_MESSAGE_TYPES = ['hello', 'list-readers', 'connect', 'transmit', 'disconnect'] as const;

// ---------------------------------------------------------------- bridge → client

export interface ReaderSummary {
  readonly name: string;
  readonly cardPresent: boolean;
}

export type BridgeMessage =
  | {
      readonly type: 'hello';
      readonly id: number;
      readonly protocol: number;
      readonly bridge: string;
      readonly version: string;
    }
  | { readonly type: 'readers'; readonly id: number; readonly readers: readonly ReaderSummary[] }
  | {
      readonly type: 'connected';
      readonly id: number;
      readonly reader: string;
      readonly atr: Uint8Array;
      readonly maxResponseLength: number;
    }
  | { readonly type: 'response'; readonly id: number; readonly apdu: Uint8Array }
  | { readonly type: 'disconnected'; readonly id: number }
  /** `id` is null when the failure belongs to no request (an unreadable frame, a busy bridge). */
  | {
      readonly type: 'error';
      readonly id: number | null;
      readonly code: BridgeErrorCode;
      readonly message: string;
    }
  /** Unsolicited: a reader was plugged in or out, a card was put on or taken off a reader. */
  | { readonly type: 'reader-event'; readonly event: ReaderEventKind; readonly reader: string };

export const READER_EVENT_KINDS = [
  'reader-added',
  'reader-removed',
  'card-inserted',
  'card-removed',
] as const;
export type ReaderEventKind = (typeof READER_EVENT_KINDS)[number];

export const BRIDGE_MESSAGE_TYPES = [
  'hello',
  'readers',
  'connected',
  'response',
  'disconnected',
  'error',
  'reader-event',
] as const;

// ---------------------------------------------------------------- results

export interface DecodeFailure {
  readonly code: 'ERR_BAD_MESSAGE' | 'ERR_UNKNOWN_TYPE' | 'ERR_TOO_LARGE';
  readonly message: string;
  /** The request's id when it could be read, so the answer can name it. */
  readonly id: number | null;
}

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DecodeFailure };

// ---------------------------------------------------------------- hex

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Undefined unless `s` is an even-length hex string. */
export function hexToBytes(s: string): Uint8Array | undefined {
  if (!HEX_RE.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// ---------------------------------------------------------------- helpers

type Json = Record<string, unknown>;

class Invalid {
  constructor(
    readonly code: DecodeFailure['code'],
    readonly message: string,
  ) {}
}

function parseObject(text: string): Json {
  if (text.length > MAX_MESSAGE_BYTES) throw new Invalid('ERR_TOO_LARGE', 'message too large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Invalid('ERR_BAD_MESSAGE', 'not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Invalid('ERR_BAD_MESSAGE', 'not a JSON object');
  return parsed as Json;
}

function readId(j: Json): number | null {
  const id = j.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID ? id : null;
}

function requireId(j: Json): number {
  const id = readId(j);
  if (id === null) throw new Invalid('ERR_BAD_MESSAGE', `id must be an integer 0..${MAX_ID}`);
  return id;
}

function string(j: Json, field: string, max: number): string {
  const v = j[field];
  if (typeof v !== 'string' || v.length > max) throw new Invalid('ERR_BAD_MESSAGE', `${field}: a string`);
  return v;
}

function optionalString(j: Json, field: string, max: number): string | undefined {
  return j[field] === undefined ? undefined : string(j, field, max);
}

function hexField(j: Json, field: string, maxBytes: number, minBytes = 0): Uint8Array {
  const v = j[field];
  if (typeof v !== 'string') throw new Invalid('ERR_BAD_MESSAGE', `${field}: a hex string`);
  if (v.length > 2 * maxBytes) throw new Invalid('ERR_TOO_LARGE', `${field}: more than ${maxBytes} bytes`);
  const bytes = hexToBytes(v);
  if (bytes === undefined || bytes.length < minBytes)
    throw new Invalid('ERR_BAD_MESSAGE', `${field}: a hex string of at least ${minBytes} bytes`);
  return bytes;
}

function nonNegativeInt(j: Json, field: string, max: number): number {
  const v = j[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new Invalid('ERR_BAD_MESSAGE', `${field}: an integer 0..${max}`);
  return v;
}

function decodeWith<T>(text: string, build: (j: Json) => T): Decoded<T> {
  let j: Json | undefined;
  try {
    j = parseObject(text);
    return { ok: true, value: build(j) };
  } catch (e) {
    const id = j ? readId(j) : null;
    if (e instanceof Invalid) return { ok: false, error: { code: e.code, message: e.message, id } };
    // Unreachable by construction; still a Result, never an escaping exception.
    return { ok: false, error: { code: 'ERR_BAD_MESSAGE', message: 'unreadable message', id } };
  }
}

// ---------------------------------------------------------------- client messages

export function decodeClientMessage(text: string): Decoded<ClientMessage> {
  return decodeWith(text, (j): ClientMessage => {
    const type = j.type;
    if (typeof type !== 'string') throw new Invalid('ERR_BAD_MESSAGE', 'type: a string');
    switch (type) {
      case 'hello':
        return { type, id: requireId(j), protocol: nonNegativeInt(j, 'protocol', MAX_ID) };
      case 'list-readers':
      case 'disconnect':
        return { type, id: requireId(j) };
      case 'connect': {
        const id = requireId(j);
        const reader = optionalString(j, 'reader', MAX_NAME_CHARS);
        return reader === undefined ? { type, id } : { type, id, reader };
      }
      case 'transmit': {
        const id = requireId(j);
        // ISO/IEC 7816-4 §5.1: a command APDU has at least CLA INS P1 P2.
        return { type, id, apdu: hexField(j, 'apdu', MAX_COMMAND_APDU_BYTES, 4) };
      }
      default:
        throw new Invalid('ERR_UNKNOWN_TYPE', `unknown message type ${JSON.stringify(type.slice(0, 40))}`);
    }
  });
}

export function encodeClientMessage(m: ClientMessage): string {
  switch (m.type) {
    case 'transmit':
      return JSON.stringify({ type: m.type, id: m.id, apdu: bytesToHex(m.apdu) });
    default:
      return JSON.stringify(m);
  }
}

// ---------------------------------------------------------------- bridge messages

export function decodeBridgeMessage(text: string): Decoded<BridgeMessage> {
  return decodeWith(text, (j): BridgeMessage => {
    const type = j.type;
    if (typeof type !== 'string') throw new Invalid('ERR_BAD_MESSAGE', 'type: a string');
    switch (type) {
      case 'hello':
        return {
          type,
          id: requireId(j),
          protocol: nonNegativeInt(j, 'protocol', MAX_ID),
          bridge: string(j, 'bridge', MAX_NAME_CHARS),
          version: string(j, 'version', MAX_NAME_CHARS),
        };
      case 'readers': {
        const id = requireId(j);
        const list = j.readers;
        if (!Array.isArray(list) || list.length > 64) throw new Invalid('ERR_BAD_MESSAGE', 'readers: a list');
        const readers = list.map((r: unknown): ReaderSummary => {
          if (r === null || typeof r !== 'object') throw new Invalid('ERR_BAD_MESSAGE', 'readers: objects');
          const o = r as Json;
          if (typeof o.cardPresent !== 'boolean') throw new Invalid('ERR_BAD_MESSAGE', 'cardPresent');
          return { name: string(o, 'name', MAX_NAME_CHARS), cardPresent: o.cardPresent };
        });
        return { type, id, readers };
      }
      case 'connected':
        return {
          type,
          id: requireId(j),
          reader: string(j, 'reader', MAX_NAME_CHARS),
          // ISO/IEC 7816-3 §8.2: an ATR has at most 33 bytes.
          atr: hexField(j, 'atr', 33),
          maxResponseLength: nonNegativeInt(j, 'maxResponseLength', 65536),
        };
      case 'response':
        // ISO/IEC 7816-4 §5.1: a response APDU ends with SW1 SW2.
        return { type, id: requireId(j), apdu: hexField(j, 'apdu', MAX_RESPONSE_APDU_BYTES, 2) };
      case 'disconnected':
        return { type, id: requireId(j) };
      case 'error': {
        const id = j.id === null ? null : requireId(j);
        const code = j.code;
        if (!isBridgeErrorCode(code)) throw new Invalid('ERR_BAD_MESSAGE', 'code: a known error code');
        return { type, id, code, message: string(j, 'message', MAX_TEXT_CHARS) };
      }
      case 'reader-event': {
        const event = j.event;
        if (typeof event !== 'string' || !(READER_EVENT_KINDS as readonly string[]).includes(event))
          throw new Invalid('ERR_BAD_MESSAGE', 'event: a known reader event');
        return { type, event: event as ReaderEventKind, reader: string(j, 'reader', MAX_NAME_CHARS) };
      }
      default:
        throw new Invalid('ERR_UNKNOWN_TYPE', `unknown message type ${JSON.stringify(type.slice(0, 40))}`);
    }
  });
}

export function encodeBridgeMessage(m: BridgeMessage): string {
  switch (m.type) {
    case 'connected':
      return JSON.stringify({ ...m, atr: bytesToHex(m.atr) });
    case 'response':
      return JSON.stringify({ type: m.type, id: m.id, apdu: bytesToHex(m.apdu) });
    case 'error':
      return JSON.stringify({ ...m, message: m.message.slice(0, MAX_TEXT_CHARS) });
    default:
      return JSON.stringify(m);
  }
}
