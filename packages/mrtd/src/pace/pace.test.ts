import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CardTransport, decodeCommandApdu, encodeResponseApdu } from '../apdu/apdu.ts';
import { fromHex, toHex } from '../bytes.ts';
import { aesCbcDecrypt } from '../crypto/aes.ts';
import { curveByParameterId, decodePoint, encodePoint, xCoordinate } from '../crypto/ec-curves.ts';
import { unpad } from '../crypto/padding.ts';
import { loadVector, replayTransport, scriptedRandom } from '../crypto/test-vectors.ts';
import { PaceChipProtocol } from './pace-chip-protocol.ts';
import { authenticationToken, camIv, genericMapping, paceSessionKeys } from './pace-crypto.ts';
import { paceOid, paceParameters } from './pace-parameters.ts';
import { performPace, verifyPaceCam } from './perform-pace.ts';

const g1 = loadVector('icao9303-11-appendixG1-pace-ecdh-gm');

test('paceParameters interprets the ICAO OIDs', () => {
  const p = paceParameters('0.4.0.127.0.7.2.2.4.2.2', 13);
  assert.equal(p.mapping, 'GM');
  assert.equal(p.cipher, 'AES');
  assert.equal(p.keyLength, 16);
  assert.equal(p.curve?.name, 'brainpoolP256r1');
  assert.equal(paceParameters('0.4.0.127.0.7.2.2.4.2.1', 12).cipher, '3DES');
  assert.equal(paceParameters('0.4.0.127.0.7.2.2.4.6.4', 16).keyLength, 32);
  assert.equal(paceParameters('0.4.0.127.0.7.2.2.4.4.3', 18).mapping, 'IM');
  assert.equal(paceOid('ECDH', 'GM', 'AES', 24), '0.4.0.127.0.7.2.2.4.2.3');
  assert.throws(() => paceParameters('0.4.0.127.0.7.2.2.4.9.1', 13), { code: 'ERR_PACE_UNSUPPORTED' });
  assert.throws(() => paceParameters('1.2.3', 13), { code: 'ERR_PACE_UNSUPPORTED' });
});

test('performPace reproduces ICAO 9303-11 Appendix G.1 byte for byte', async () => {
  const transport = replayTransport(g1.apdus);
  const result = await performPace(transport, {
    password: { kind: 'mrz', value: g1.mrz.mrzInformation },
    paceInfo: { protocol: g1.protocol.oid, parameterId: 13 },
    random: scriptedRandom(g1.mapping.terminalMappingPrivateKey, g1.keyAgreement.terminalPrivateKey),
  });
  assert.equal(toHex(result.session.kEnc), g1.sessionKeys.ksEnc);
  assert.equal(toHex(result.session.kMac), g1.sessionKeys.ksMac);
  assert.equal(toHex(result.session.ssc), g1.sessionKeys.ssc);
  assert.equal(toHex(result.chipPublicKey), g1.keyAgreement.chipPublicKey);
  assert.equal(transport.remaining, 0);
});

test('PaceChipProtocol answers Appendix G.1 byte for byte', () => {
  const chip = new PaceChipProtocol({
    passwords: { mrz: g1.mrz.mrzInformation },
    paceInfos: [{ protocol: g1.protocol.oid, parameterId: 13 }],
    random: scriptedRandom(
      g1.nonce.decryptedNonce_s,
      g1.mapping.chipMappingPrivateKey,
      g1.keyAgreement.chipPrivateKey,
    ),
  });
  let session: unknown;
  for (const step of g1.apdus) {
    const r = chip.handle(decodeCommandApdu(fromHex(step.command)));
    assert.equal(toHex(encodeResponseApdu(r.response)), step.response, step.step);
    session = r.session ?? session;
  }
  assert.ok(session);
});

test('NZ 3DES trace (password withheld): mapping, keys and both tokens from the recorded nonce', () => {
  const v = loadVector('gmrtd-pace-NZ-gm-ecdh-3des');
  const params = paceParameters(v.protocol.oid, 13);
  const curve = curveByParameterId(13);
  assert.ok(curve);
  const P = curve.ecdsa.Point;
  const skMap = BigInt(`0x${v.terminalEphemeralKeys.mappingPrivateKey}`);
  assert.equal(toHex(encodePoint(P.BASE.multiply(skMap))), v.terminalEphemeralKeys.mappingPublicKey);
  // GA2 response: 7C 43 82 41 <chip mapping key>
  const chipMap = decodePoint(curve, fromHex(v.apdus[2].response).subarray(4, 69), 'ERR_PACE_FAILED');
  const h = chipMap.multiply(skMap);
  assert.equal(toHex(encodePoint(h)), v.derivedByHelper.sharedPointH);
  const g = genericMapping(curve, fromHex(v.derivedByHelper.decryptedNonce), h);
  assert.equal(toHex(encodePoint(g)), v.derivedByHelper.mappedGenerator);
  const sk = BigInt(`0x${v.terminalEphemeralKeys.keyAgreementPrivateKey}`);
  const pkPcd = encodePoint(g.multiply(sk));
  assert.equal(toHex(pkPcd), v.derivedByHelper.terminalKeyAgreementPublicKey);
  const pkIc = decodePoint(curve, fromHex(v.apdus[3].response).subarray(4, 69), 'ERR_PACE_FAILED');
  const k = xCoordinate(curve, pkIc.multiply(sk));
  assert.equal(toHex(k), v.derivedByHelper.sharedSecretK);
  const keys = paceSessionKeys(params, k);
  assert.equal(toHex(keys.ksEnc), v.expectedSecureMessaging.ksEnc);
  assert.equal(toHex(keys.ksMac), v.expectedSecureMessaging.ksMac);
  assert.equal(
    toHex(authenticationToken(params, keys.ksMac, encodePoint(pkIc))),
    v.derivedByHelper.terminalToken,
  );
  assert.equal(toHex(authenticationToken(params, keys.ksMac, pkPcd)), v.derivedByHelper.chipToken);
});

test('DE PACE-CAM trace (password withheld): keys, CAM data decryption and the CAM check', () => {
  const v = loadVector('gmrtd-pace-DE-cam-ecdh-aes128');
  const params = paceParameters(v.protocol.oid, 13);
  const curve = curveByParameterId(13);
  assert.ok(curve);
  const pkIc = decodePoint(curve, fromHex(v.apdus[3].response).subarray(4, 69), 'ERR_PACE_FAILED');
  const k = xCoordinate(curve, pkIc.multiply(BigInt(`0x${v.terminalEphemeralKeys.keyAgreementPrivateKey}`)));
  assert.equal(toHex(k), v.derivedByHelper.sharedSecretK);
  const keys = paceSessionKeys(params, k);
  assert.equal(toHex(keys.ksEnc), v.expectedSecureMessaging.ksEnc);
  const ga4 = fromHex(v.apdus[4].response);
  const aIc = ga4.subarray(14, ga4.length - 2); // 7C 3C 86 08 <T_IC> 8A 30 <A_IC>
  const caIc = unpad(aesCbcDecrypt(keys.ksEnc, aIc, camIv(keys.ksEnc)), 16);
  assert.equal(toHex(caIc), v.derivedByHelper.camChipAuthenticationData_CA_IC);
  const chipMappingPublicKey = fromHex(v.apdus[2].response).subarray(4, 69);
  const result = {
    session: undefined as never,
    parameters: params,
    chipPublicKey: encodePoint(pkIc),
    chipMappingPublicKey,
    chipAuthenticationData: caIc,
  };
  assert.equal(verifyPaceCam(result, fromHex(v.derivedByHelper.camChipStaticPublicKey_keyId13)), true);
  assert.equal(verifyPaceCam(result, encodePoint(pkIc)), false);
});

function chipTransport(chip: PaceChipProtocol): CardTransport {
  return { transmit: async (bytes) => encodeResponseApdu(chip.handle(decodeCommandApdu(bytes)).response) };
}

test('terminal ↔ chip round trip for every curve × cipher, MRZ and CAN', async () => {
  for (const parameterId of [12, 13, 15, 16, 17, 18]) {
    for (const [cipher, keyLength] of [
      ['3DES', 16],
      ['AES', 16],
      ['AES', 24],
      ['AES', 32],
    ] as const) {
      const protocol = paceOid('ECDH', 'GM', cipher, keyLength);
      const kind = parameterId % 2 === 0 ? 'can' : 'mrz';
      const chip = new PaceChipProtocol({
        passwords: { mrz: 'L898902C<369080619406236', can: '123456' },
        paceInfos: [{ protocol, parameterId }],
      });
      const value = kind === 'can' ? '123456' : 'L898902C<369080619406236';
      const result = await performPace(chipTransport(chip), {
        password: { kind, value },
        paceInfo: { protocol, parameterId },
      });
      assert.equal(result.session.cipher, cipher);
      assert.equal(result.session.kEnc.length, keyLength);
    }
  }
});

test('a wrong password fails with ERR_PACE_FAILED', async () => {
  const protocol = paceOid('ECDH', 'GM', 'AES', 16);
  const chip = new PaceChipProtocol({
    passwords: { can: '123456' },
    paceInfos: [{ protocol, parameterId: 13 }],
  });
  await assert.rejects(
    performPace(chipTransport(chip), {
      password: { kind: 'can', value: '654321' },
      paceInfo: { protocol, parameterId: 13 },
    }),
    { code: 'ERR_PACE_FAILED' },
  );
  await assert.rejects(
    performPace(chipTransport(chip), {
      password: { kind: 'mrz', value: 'X' },
      paceInfo: { protocol, parameterId: 13 },
    }),
    { code: 'ERR_PACE_FAILED' },
  );
  await assert.rejects(
    performPace(chipTransport(chip), {
      password: { kind: 'can', value: '1' },
      paceInfo: { protocol, parameterId: 9 },
    }),
    { code: 'ERR_PACE_UNSUPPORTED' },
  );
});
