import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeResponseApdu } from '../apdu/apdu.ts';
import { fromHex, toHex } from '../bytes.ts';
import { loadVector, replayTransport, scriptedRandom } from '../crypto/test-vectors.ts';
import { createSmSession } from '../sm/secure-messaging.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { performChipAuthentication } from './perform-chip-authentication.ts';

for (const country of ['AT', 'DE', 'MY', 'FR']) {
  test(`performChipAuthentication reproduces the gmrtd ${country} trace`, async () => {
    const v = loadVector(`gmrtd-chipauth-${country}`);
    const before = v.secureMessagingBefore;
    const cipher = before.algorithm === '3DES' ? '3DES' : 'AES';
    const session = createSmSession({ cipher, kEnc: fromHex(before.ksEnc), kMac: fromHex(before.ksMac), ssc: fromHex(before.ssc) });
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

