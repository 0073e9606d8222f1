import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BRIDGE_ERROR_CODES,
  type BridgeMessage,
  bytesToHex,
  type ClientMessage,
  decodeBridgeMessage,
  decodeClientMessage,
  encodeBridgeMessage,
  encodeClientMessage,
  hexToBytes,
  MAX_COMMAND_APDU_BYTES,
  MAX_MESSAGE_BYTES,
  READER_EVENT_KINDS,
} from './bridge-protocol.ts';

const id = fc.integer({ min: 0, max: 0x7fffffff });
const name = fc.string({ maxLength: 64 });
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

const clientMessage: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), id, protocol: fc.nat() }),
  fc.record({ type: fc.constant('list-readers' as const), id }),
  fc.record({ type: fc.constant('connect' as const), id }),
  fc.record({ type: fc.constant('connect' as const), id, reader: name }),
  fc.record({ type: fc.constant('transmit' as const), id, apdu: bytes(4, 300) }),
  fc.record({ type: fc.constant('disconnect' as const), id }),
);

const bridgeMessage: fc.Arbitrary<BridgeMessage> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), id, protocol: fc.nat(), bridge: name, version: name }),
  fc.record({
    type: fc.constant('readers' as const),
    id,
    readers: fc.array(fc.record({ name, cardPresent: fc.boolean() }), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('connected' as const),
    id,
    reader: name,
    atr: bytes(0, 33),
    maxResponseLength: fc.integer({ min: 0, max: 65536 }),
  }),
  fc.record({ type: fc.constant('response' as const), id, apdu: bytes(2, 300) }),
  fc.record({ type: fc.constant('disconnected' as const), id }),
  fc.record({
    type: fc.constant('error' as const),
    id: fc.option(id, { nil: null }),
    code: fc.constantFrom(...BRIDGE_ERROR_CODES),
    message: fc.string({ maxLength: 200 }),
  }),
  fc.record({
    type: fc.constant('reader-event' as const),
    event: fc.constantFrom(...READER_EVENT_KINDS),
    reader: name,
  }),
);

describe('reader bridge protocol', () => {
  it('hex round-trips and refuses odd or non-hex strings', () => {
    fc.assert(
      fc.property(bytes(0, 100), (b) => assert.deepEqual(hexToBytes(bytesToHex(b)), b)),
      {
        numRuns: 300,
      },
    );
    assert.equal(hexToBytes('abc'), undefined);
    assert.equal(hexToBytes('zz'), undefined);
    assert.deepEqual(hexToBytes('00A4FF'), Uint8Array.of(0, 0xa4, 0xff));
  });

  it('round-trips every client message', () => {
    fc.assert(
      fc.property(clientMessage, (m) => {
        const decoded = decodeClientMessage(encodeClientMessage(m));
        assert.ok(decoded.ok);
        assert.deepEqual(decoded.value, structuredClone(m));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every bridge message', () => {
    fc.assert(
      fc.property(bridgeMessage, (m) => {
        const decoded = decodeBridgeMessage(encodeBridgeMessage(m));
        assert.ok(decoded.ok);
        assert.deepEqual(decoded.value, structuredClone(m));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes a transmit as documented (hex APDU)', () => {
    const text = encodeClientMessage({ type: 'transmit', id: 7, apdu: Uint8Array.of(0, 0xa4, 4, 0x0c) });
    assert.deepEqual(JSON.parse(text), { type: 'transmit', id: 7, apdu: '00a4040c' });
  });

  it('names unknown types, malformed fields and oversize input with their own codes', () => {
    const failure = (text: string) => {
      const d = decodeClientMessage(text);
      assert.equal(d.ok, false);
      return d.ok ? undefined : d.error;
    };
    assert.deepEqual(failure('{"type":"format-disk","id":3}'), {
      code: 'ERR_UNKNOWN_TYPE',
      message: 'unknown message type "format-disk"',
      id: 3,
    });
    assert.equal(failure('not json')?.code, 'ERR_BAD_MESSAGE');
    assert.equal(failure('[1]')?.code, 'ERR_BAD_MESSAGE');
    assert.equal(failure('{"type":"hello"}')?.code, 'ERR_BAD_MESSAGE');
    assert.equal(failure('{"type":"transmit","id":1,"apdu":"00a4"}')?.code, 'ERR_BAD_MESSAGE');
    assert.equal(failure('{"type":"transmit","id":1,"apdu":"00a4040g"}')?.code, 'ERR_BAD_MESSAGE');
    assert.equal(failure('{"type":"transmit","id":-1,"apdu":"00a4040c"}')?.code, 'ERR_BAD_MESSAGE');
    const tooLongApdu = '00'.repeat(MAX_COMMAND_APDU_BYTES + 1);
    assert.equal(failure(`{"type":"transmit","id":2,"apdu":"${tooLongApdu}"}`)?.code, 'ERR_TOO_LARGE');
    assert.equal(failure(' '.repeat(MAX_MESSAGE_BYTES + 1))?.code, 'ERR_TOO_LARGE');
    // A maximal extended APDU still fits a frame.
    const max = encodeClientMessage({
      type: 'transmit',
      id: 1,
      apdu: new Uint8Array(MAX_COMMAND_APDU_BYTES),
    });
    assert.ok(max.length <= MAX_MESSAGE_BYTES);
    assert.ok(decodeClientMessage(max).ok);
  });

  it('refuses unknown error codes and events from the bridge', () => {
    assert.equal(decodeBridgeMessage('{"type":"error","id":null,"code":"ERR_X","message":""}').ok, false);
    assert.equal(decodeBridgeMessage('{"type":"reader-event","event":"boom","reader":"r"}').ok, false);
    assert.equal(decodeBridgeMessage('{"type":"response","id":1,"apdu":"90"}').ok, false);
  });

  it('decodes anything without throwing (property)', () => {
    const anyJson = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({
        type: fc.constantFrom('hello', 'transmit', 'connect', 'readers', 'error'),
        id: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(anyJson, (v) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        decodeClientMessage(text);
        decodeBridgeMessage(text);
      }),
      { numRuns: 1000 },
    );
  });
});
