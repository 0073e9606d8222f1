import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CardTransport } from '../apdu/apdu.ts';
import {
  decodeCommandApdu,
  decodeResponseApdu,
  encodeCommandApdu,
  encodeResponseApdu,
} from '../apdu/apdu.ts';
import { fromHex, toHex } from '../bytes.ts';
import { loadVector, replayTransport, scriptedRandom } from '../crypto/test-vectors.ts';
import { protectResponse, type SmSession, unprotectCommand } from '../sm/secure-messaging.ts';
import { SecureMessagingTransport } from '../sm/secure-transport.ts';
import { BacChipProtocol } from './bac-chip-protocol.ts';
import { performBac } from './perform-bac.ts';

const v = loadVector('icao9303-11-appendixD-bac');

test('performBac reproduces ICAO 9303-11 Appendix D.3 and the D.4 SM exchanges byte for byte', async () => {
  const sm = v.secureMessaging as { protectedCommand: string; protectedResponse: string }[];
  const transport = replayTransport([
    ...v.apdus,
    ...sm.map((s) => ({ command: s.protectedCommand, response: s.protectedResponse })),
  ]);
  const session = await performBac(transport, v.mrz.mrzInformation, {
    random: scriptedRandom(v.mutualAuthentication.rndIFD, v.mutualAuthentication.kIFD),
  });
  assert.equal(toHex(session.kEnc), v.sessionKeys.ksEnc);
  assert.equal(toHex(session.kMac), v.sessionKeys.ksMac);
  assert.equal(toHex(session.ssc), v.sessionKeys.ssc);
  const secure = new SecureMessagingTransport(transport, session);
  const select = decodeResponseApdu(await secure.transmit(fromHex('00A4020C02011E')));
  assert.equal(select.sw, 0x9000);
  const head = decodeResponseApdu(await secure.transmit(fromHex('00B0000004')));
  assert.equal(toHex(head.data), '60145F01');
  const rest = decodeResponseApdu(await secure.transmit(fromHex('00B0000412')));
  assert.equal(toHex(rest.data), '04303130365F36063034303030305C026175');
  assert.equal(toHex(secure.session.ssc), '887022120C06C22C');
  assert.equal(transport.remaining, 0);
});

test('BacChipProtocol answers Appendix D exactly', () => {
  const chip = new BacChipProtocol({
    mrzInformation: v.mrz.mrzInformation,
    random: scriptedRandom(v.mutualAuthentication.rndIC, v.mutualAuthentication.kIC),
  });
  for (const step of v.apdus) {
    const r = chip.handle(decodeCommandApdu(fromHex(step.command)));
    assert.equal(toHex(encodeResponseApdu(r.response)), step.response);
    if (step.step === 'EXTERNAL AUTHENTICATE') {
      assert.equal(toHex(r.session?.kEnc ?? new Uint8Array()), v.sessionKeys.ksEnc);
      assert.equal(toHex(r.session?.ssc ?? new Uint8Array()), v.sessionKeys.ssc);
    }
  }
});

/** A minimal in-memory card: BAC in plain, then every command under SM. */
function bacCard(mrzInformation: string): CardTransport {
  const chip = new BacChipProtocol({ mrzInformation });
  let session: SmSession | undefined;
  return {
    async transmit(bytes) {
      if (session === undefined) {
        const r = chip.handle(decodeCommandApdu(bytes));
        if (r.session) session = r.session;
        return encodeResponseApdu(r.response);
      }
      const c = unprotectCommand(session, bytes);
      const answer = { data: Uint8Array.of(c.command.ins, c.command.p1), sw: 0x9000 };
      const r = protectResponse(c.session, answer);
      session = r.session;
      return r.apdu;
    },
  };
}

test('terminal and chip agree; SM works after BAC', async () => {
  const card = bacCard('L898902C<369080619406236');
  const session = await performBac(card, 'L898902C<369080619406236');
  const secure = new SecureMessagingTransport(card, session);
  const r = decodeResponseApdu(
    await secure.transmit(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 5, p2: 0, ne: 2 })),
  );
  assert.equal(toHex(r.data), 'B005');
});

test('wrong MRZ information fails with ERR_BAC_FAILED; the chip answers 6300', async () => {
  const card = bacCard('L898902C<369080619406236');
  await assert.rejects(performBac(card, 'L898902C<369080619406237'), { code: 'ERR_BAC_FAILED' });
  const chip = new BacChipProtocol({ mrzInformation: 'X' });
  const ea = chip.handle({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(40), ne: 40 });
  assert.equal(ea.response.sw, 0x6985); // no challenge yet
});
