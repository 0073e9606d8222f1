import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, decodeTlv } from '../tlv/tlv.ts';
import { decodeCardAccess, decodeDg14, encodeCardAccess, encodeDg14 } from './dg14.ts';
import { decodeSecurityInfos, encodeSecurityInfos, SECURITY_PROTOCOL_OIDS as O } from './security-infos.ts';

interface Entry {
  id: string;
  dg14?: string;
  cardAccess?: string;
  chipPublicKeyId?: number | null;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/icao9303-11.json', import.meta.url), 'utf8'),
) as { entries: Entry[] };

/** The eContent of a CMS ContentInfo/SignedData (RFC 5652 §5.2), walked with the TLV module. */
function eContentOf(contentInfo: Uint8Array): Uint8Array {
  const [, explicit] = childrenOf(decodeTlv(contentInfo));
  assert.ok(explicit);
  const [signedData] = childrenOf(explicit);
  assert.ok(signedData);
  const encap = childrenOf(signedData)[2];
  assert.ok(encap);
  const [, content] = childrenOf(encap);
  assert.ok(content);
  const [octets] = childrenOf(content);
  assert.ok(octets);
  return octets.value;
}

describe('DG14 and SecurityInfos (ICAO 9303-11 §9.2)', () => {
  const chipAuth = vectors.entries.filter((e) => e.id.startsWith('gmrtd-chipauth-'));

  it('decodes every real DG14 and re-encodes it byte for byte', () => {
    assert.equal(chipAuth.length, 4);
    for (const e of chipAuth) {
      const bytes = fromHex(e.dg14 ?? '');
      const dg14 = decodeDg14(bytes);
      const keys = dg14.securityInfos.filter((i) => i.type === 'ChipAuthenticationPublicKeyInfo');
      assert.equal(keys.length, 1, e.id);
      assert.equal(keys[0]?.protocol, O.PK_ECDH, e.id);
      assert.equal(keys[0]?.keyId, e.chipPublicKeyId ?? undefined, e.id);
      assert.ok(!dg14.securityInfos.some((i) => i.type === 'unknown'), e.id);
      assert.deepEqual(encodeDg14(dg14), bytes, e.id);
    }
  });

  it('reads the German DG14 protocol list', () => {
    const de = chipAuth.find((e) => e.id === 'gmrtd-chipauth-DE');
    const infos = decodeDg14(fromHex(de?.dg14 ?? '')).securityInfos;
    assert.deepEqual(
      infos.filter((i) => i.type !== 'ChipAuthenticationPublicKeyInfo'),
      [
        { type: 'TerminalAuthenticationInfo', protocol: O.TA, version: 1 },
        { type: 'PACEInfo', protocol: `${O.PACE_ECDH_GM}.2`, version: 2, parameterId: 13 },
        { type: 'PACEInfo', protocol: `${O.PACE_ECDH_CAM}.2`, version: 2, parameterId: 13 },
        { type: 'ChipAuthenticationInfo', protocol: `${O.CA_ECDH}.2`, version: 1, keyId: 195 },
      ],
    );
  });

  it('decodes the EF.CardAccess of the PACE traces', () => {
    for (const e of vectors.entries.filter((x) => x.cardAccess)) {
      const bytes = fromHex(e.cardAccess ?? '');
      const ca = decodeCardAccess(bytes);
      assert.ok(ca.securityInfos.length > 0);
      for (const info of ca.securityInfos) assert.equal(info.type, 'PACEInfo', e.id);
      assert.deepEqual(encodeCardAccess(ca), bytes);
    }
    const nz = decodeCardAccess(
      fromHex(vectors.entries.find((e) => e.id === 'gmrtd-pace-NZ-gm-ecdh-3des')?.cardAccess ?? ''),
    );
    assert.deepEqual(nz.securityInfos, [
      { type: 'PACEInfo', protocol: `${O.PACE_ECDH_GM}.1`, version: 2, parameterId: 13 },
    ]);
  });

  it('decodes the SecurityInfos signed in the German EF.CardSecurity', () => {
    const cardSecurity = new Uint8Array(
      readFileSync(new URL('../../test/fixtures/real-sod/DE.EF_CardSecurity.bin', import.meta.url)),
    );
    const content = eContentOf(cardSecurity);
    const infos = decodeSecurityInfos(content);
    const summary = infos.map((i) => `${i.type}:${'keyId' in i ? i.keyId : ''}`).sort();
    assert.deepEqual(summary, [
      'ChipAuthenticationDomainParameterInfo:72',
      'ChipAuthenticationInfo:72',
      'ChipAuthenticationPublicKeyInfo:13',
      'ChipAuthenticationPublicKeyInfo:72',
      'PACEInfo:',
      'PACEInfo:',
      'TerminalAuthenticationInfo:',
    ]);
    assert.deepEqual(encodeSecurityInfos(infos), content);
  });

  it('keeps unknown SecurityInfos whole, encodes ActiveAuthenticationInfo and sorts on request', () => {
    const unknown = { type: 'unknown' as const, protocol: '1.2.3', raw: fromHex('300706022A030201FF') };
    const aa = {
      type: 'ActiveAuthenticationInfo' as const,
      protocol: O.AA,
      version: 1,
      signatureAlgorithm: '1.2.840.10045.4.3.2',
    };
    assert.deepEqual(decodeSecurityInfos(encodeSecurityInfos([aa, unknown])), [aa, unknown]);
    assert.deepEqual(decodeSecurityInfos(encodeSecurityInfos([aa, unknown], { der: true })), [unknown, aa]);
  });

  it('throws MrtdError on malformed SecurityInfos', () => {
    for (const hex of ['', '30020500', '3100', '3103020101', '31083006060204000201', '3105300302012A']) {
      if (hex === '3100') {
        assert.deepEqual(decodeSecurityInfos(fromHex(hex)), []);
        continue;
      }
      assert.throws(() => decodeSecurityInfos(fromHex(hex)), MrtdError, hex);
    }
    // A known protocol with a field of the wrong type.
    assert.throws(() => decodeSecurityInfos(fromHex('3111300F060A04007F00070202040202040100')), MrtdError);
  });
});
