import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeCommandApdu, decodeResponseApdu, encodeResponseApdu } from '../apdu/apdu.ts';
import { fromHex, toHex } from '../bytes.ts';
import { loadVector } from '../crypto/test-vectors.ts';
import { MrtdError } from '../errors.ts';
import {
  createSmSession,
  maxPlaintextResponseLength,
  protectCommand,
  protectResponse,
  type SmCipher,
  type SmSession,
  unprotectCommand,
  unprotectResponse,
} from './secure-messaging.ts';

test('3DES secure messaging reproduces ICAO 9303-11 Appendix D.4 on both sides', () => {
  const v = loadVector('icao9303-11-appendixD-bac');
  const start = createSmSession({
    cipher: '3DES',
    kEnc: fromHex(v.sessionKeys.ksEnc),
    kMac: fromHex(v.sessionKeys.ksMac),
    ssc: fromHex(v.sessionKeys.ssc),
  });
  let terminal: SmSession = start;
  let chip: SmSession = start;
  for (const step of v.secureMessaging) {
    const plain = decodeCommandApdu(fromHex(step.unprotectedCommand));
    const p = protectCommand(terminal, plain);
    assert.equal(toHex(p.apdu), step.protectedCommand, step.step);
    assert.equal(toHex(p.session.ssc), step.sscForCommand);
    const c = unprotectCommand(chip, p.apdu);
    assert.deepEqual(c.command, plain);
    const r = protectResponse(c.session, {
      data: fromHex(step.decryptedResponseData),
      sw: Number.parseInt(step.statusWord, 16),
    });
    assert.equal(toHex(r.apdu), step.protectedResponse);
    chip = r.session;
    const u = unprotectResponse(p.session, fromHex(step.protectedResponse));
    assert.equal(toHex(u.response.data), step.decryptedResponseData);
    assert.equal(u.response.sw, 0x9000);
    assert.equal(u.authenticated, true);
    assert.equal(toHex(u.session.ssc), step.sscForResponse);
    terminal = u.session;
  }
  // The sessions handed in were never changed.
  assert.equal(toHex(start.ssc), v.sessionKeys.ssc);
});

test('AES-128 secure messaging reproduces the DE PACE-CAM trace read of EF.CardSecurity', () => {
  const v = loadVector('gmrtd-pace-DE-cam-ecdh-aes128');
  const expected = new Uint8Array(
    readFileSync(new URL('../../test/fixtures/real-sod/DE.EF_CardSecurity.bin', import.meta.url)),
  );
  let s = createSmSession({
    cipher: 'AES',
    kEnc: fromHex(v.expectedSecureMessaging.ksEnc),
    kMac: fromHex(v.expectedSecureMessaging.ksMac),
  });
  const smSteps = v.apdus.filter((a: { command: string }) => a.command.startsWith('0C'));
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [i, step] of smSteps.entries()) {
    const plain =
      i === 0
        ? { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011D') }
        : {
            cla: 0,
            ins: 0xb0,
            p1: offset >> 8,
            p2: offset & 0xff,
            ne: i === 1 ? 4 : Math.min(256, expected.length - offset),
          };
    const p = protectCommand(s, plain);
    assert.equal(toHex(p.apdu), step.command, step.step);
    const u = unprotectResponse(p.session, fromHex(step.response));
    assert.equal(u.response.sw, 0x9000);
    s = u.session;
    if (i > 0) {
      chunks.push(u.response.data);
      offset += u.response.data.length;
    }
  }
  assert.equal(toHex(s.ssc), v.expectedSecureMessaging.sscAfter);
  const read = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    read.set(c, o);
    o += c.length;
  }
  assert.equal(toHex(read), toHex(expected));
});

function session(cipher: SmCipher, seed: number): SmSession {
  const n = cipher === 'AES' ? 32 : 16;
  const key = (k: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed + k) & 0xff);
  return createSmSession({ cipher, kEnc: key(1), kMac: key(2) });
}

test('property: terminal → chip → terminal round trip for both ciphers, short and extended', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<SmCipher>('3DES', 'AES'),
      fc.integer({ min: 0, max: 255 }),
      fc.uint8Array({ minLength: 0, maxLength: 600 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 65536 })),
      fc.uint8Array({ minLength: 0, maxLength: 700 }),
      (cipher, ins, data, ne, respData) => {
        const s = session(cipher, ins);
        const cmd = { cla: 0, ins, p1: 1, p2: 2, ...(data.length ? { data } : {}), ...(ne ? { ne } : {}) };
        const p = protectCommand(s, cmd);
        const c = unprotectCommand(s, p.apdu);
        assert.deepEqual(c.command, cmd);
        const r = protectResponse(c.session, { data: respData, sw: 0x9000 }, { oddIns: (ins & 1) === 1 });
        const u = unprotectResponse(p.session, r.apdu);
        assert.deepEqual(toHex(u.response.data), toHex(respData));
        assert.deepEqual(toHex(u.session.ssc), toHex(r.session.ssc));
      },
    ),
    { numRuns: 200 },
  );
});

test('property: any flipped bit in a protected command or response fails with a typed SM error', () => {
  fc.assert(
    fc.property(fc.constantFrom<SmCipher>('3DES', 'AES'), fc.nat(), fc.nat(7), (cipher, pos, bit) => {
      const s = session(cipher, 7);
      const p = protectCommand(s, { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: fromHex('0102030405'), ne: 16 });
      const bad = p.apdu.slice();
      // The outer Le is outside the MAC by design (§9.8.4: DO'97' carries the protected Ne).
      const i = pos % (bad.length - 1);
      bad[i] = (bad[i] ?? 0) ^ (1 << bit);
      try {
        unprotectCommand(s, bad);
        assert.fail('tampered command accepted');
      } catch (e) {
        assert.match((e as { code?: string }).code ?? '', /^ERR_SM_(MAC|FORMAT|PADDING)$/);
      }
      const r = protectResponse(s, { data: fromHex('AABBCC'), sw: 0x9000 });
      const badR = r.apdu.slice();
      const j = pos % (badR.length - 2);
      badR[j] = (badR[j] ?? 0) ^ (1 << bit);
      assert.throws(
        () => unprotectResponse(s, badR),
        (e: { code?: string }) => /^ERR_SM_(MAC|FORMAT|PADDING)$/.test(e.code ?? ''),
      );
    }),
    { numRuns: 300 },
  );
});

test('a bare 9000 is rejected; a bare error status word passes unauthenticated', () => {
  const s = session('AES', 1);
  assert.throws(() => unprotectResponse(s, fromHex('9000')), { code: 'ERR_SM_MAC' });
  const u = unprotectResponse(s, fromHex('6988'));
  assert.equal(u.authenticated, false);
  assert.equal(u.response.sw, 0x6988);
  // A valid MAC from an older SSC (replay) fails.
  const r = protectResponse(s, { data: fromHex('01'), sw: 0x9000 });
  assert.throws(() => unprotectResponse(r.session, r.apdu), { code: 'ERR_SM_MAC' });
  assert.equal(decodeResponseApdu(encodeResponseApdu(u.response)).sw, 0x6988);
});

test('SM overhead limits', () => {
  assert.equal(maxPlaintextResponseLength('3DES', 256), 231);
  assert.equal(maxPlaintextResponseLength('AES', 256), 223);
  assert.ok(maxPlaintextResponseLength('AES', 65536) > 65000);
});

test('property: hostile bytes only ever raise MrtdError', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<SmCipher>('3DES', 'AES'),
      fc.uint8Array({ maxLength: 80 }),
      (cipher, bytes) => {
        const s = session(cipher, 3);
        for (const f of [() => unprotectResponse(s, bytes), () => unprotectCommand(s, bytes)]) {
          try {
            f();
          } catch (e) {
            assert.ok(e instanceof MrtdError, String(e));
          }
        }
      },
    ),
    { numRuns: 500 },
  );
});
