import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CardTransport, decodeResponseApdu } from '../apdu/apdu.ts';
import { encodeOid } from '../asn1/oid.ts';
import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { curveByName } from '../crypto/ec-curves.ts';
import { encodeEcSpki } from '../crypto/spki.ts';
import { loadVector, replayTransport, scriptedRandom } from '../crypto/test-vectors.ts';
import {
  createSmSession,
  protectResponse,
  type SmSession,
  unprotectCommand,
} from '../sm/secure-messaging.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { encodeTlv } from '../tlv/tlv.ts';
import { CaChipProtocol } from './ca-chip-protocol.ts';
import { ID_PK_ECDH } from './dg14-protocol-infos.ts';
import { performChipAuthentication } from './perform-chip-authentication.ts';

for (const country of ['AT', 'DE', 'MY', 'FR']) {
  test(`performChipAuthentication reproduces the gmrtd ${country} trace`, async () => {
    const v = loadVector(`gmrtd-chipauth-${country}`);
    const before = v.secureMessagingBefore;
    const cipher = before.algorithm === '3DES' ? '3DES' : 'AES';
    const session = createSmSession({
      cipher,
      kEnc: fromHex(before.ksEnc),
      kMac: fromHex(before.ksMac),
      ssc: fromHex(before.ssc),
    });
    const raw = replayTransport(v.apdus);
    const secure = new SecureMessagingTransport(raw, session);
    const next = await performChipAuthentication(secure, {
      dg14: fromHex(v.dg14),
      random: scriptedRandom(v.terminalEphemeralKey.privateKey),
      ...(country === 'MY' ? { command: 'at' as const } : {}),
    });
    const after = v.secureMessagingAfter;
    assert.equal(toHex(next.kEnc), after.ksEnc);
    assert.equal(toHex(next.kMac), after.ksMac);
    // The trace then selects DG14 under the new keys.
    const afterCa = secure.withSession(next);
    const r = decodeResponseApdu(await afterCa.transmit(fromHex('00A4020C02010E')));
    assert.equal(r.sw, 0x9000);
    assert.equal(toHex(afterCa.session.ssc), after.ssc);
    assert.equal(raw.remaining, 0);
  });
}

function dg14For(spki: Uint8Array, protocol: string, keyId: number): Uint8Array {
  const int = (n: number) => encodeTlv(0x02, Uint8Array.of(n));
  const oid = (o: string) => encodeTlv(0x06, encodeOid(o));
  return encodeTlv(
    0x6e,
    encodeTlv(
      0x31,
      concatBytes(
        encodeTlv(0x30, concatBytes(oid(ID_PK_ECDH), spki, int(keyId))),
        encodeTlv(0x30, concatBytes(oid(protocol), int(1), int(keyId))),
      ),
    ),
  );
}

/** An in-memory card running SM with CA on top, switching sessions as the chip would. */
function caCard(chip: CaChipProtocol, start: SmSession): CardTransport {
  let session = start;
  return {
    async transmit(bytes) {
      const c = unprotectCommand(session, bytes);
      const r = chip.handles(c.command)
        ? chip.handle(c.command)
        : { response: { data: Uint8Array.of(0x42), sw: 0x9000 } };
      const p = protectResponse(c.session, r.response);
      session = r.session ?? p.session;
      return p.apdu;
    },
  };
}

test('CaChipProtocol ↔ performChipAuthentication for 3DES (KAT), 3DES (AT) and AES-256 (AT)', async () => {
  const cases = [
    ['0.4.0.127.0.7.2.2.3.2.1', 'kat'],
    ['0.4.0.127.0.7.2.2.3.2.1', 'at'],
    ['0.4.0.127.0.7.2.2.3.2.4', 'at'],
  ] as const;
  for (const [protocol, command] of cases) {
    const curve = curveByName('brainpoolP256r1');
    const { secretKey } = curve.ecdsa.keygen();
    const spki = encodeEcSpki(curve, curve.ecdsa.Point.BASE.multiply(BigInt(`0x${toHex(secretKey)}`)));
    const chip = new CaChipProtocol({ curve, privateKey: secretKey, protocol, keyId: 7 });
    const start = createSmSession({
      cipher: 'AES',
      kEnc: new Uint8Array(16).fill(1),
      kMac: new Uint8Array(16).fill(2),
    });
    const secure = new SecureMessagingTransport(caCard(chip, start), start);
    const next = await performChipAuthentication(secure, { dg14: dg14For(spki, protocol, 7), command });
    assert.equal(next.cipher, protocol.endsWith('.1') ? '3DES' : 'AES');
    const after = secure.withSession(next);
    const r = decodeResponseApdu(await after.transmit(fromHex('00B0000001')));
    assert.equal(toHex(r.data), '42');
  }
});
