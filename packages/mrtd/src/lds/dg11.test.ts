import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { decodeDg11, encodeDg11 } from './dg11.ts';
import { decodeDg12, encodeDg12 } from './dg12.ts';

describe('DG11 (ICAO 9303-10 §4.7.11)', () => {
  const dg11 = {
    fullName: 'ERIKSSON<<ANNA MARIA',
    otherNames: ['ANNA SVENSSON', 'ÅSA'],
    personalNumber: '123456789',
    fullDateOfBirth: '19740812',
    placeOfBirth: 'ZENITH<UTOPIA',
    permanentAddress: 'SOMESTREET 1<ZENITH<UTOPIA',
    telephone: '+00 123',
    profession: 'ENGINEER',
    title: 'DR',
    personalSummary: 'NONE',
    proofOfCitizenship: Uint8Array.of(0xff, 0xd8, 0xff),
    otherValidTdNumbers: 'X123<Y456',
    custodyInformation: 'NONE',
  };

  it('round-trips every field with its encoder', () => {
    assert.deepEqual(decodeDg11(encodeDg11(dg11)), dg11);
    assert.deepEqual(decodeDg11(encodeDg11({})), {});
  });

  it('writes the tag list first and reads UTF-8 text', () => {
    const bytes = encodeDg11({ fullName: 'ØRSTED<<HANS', fullDateOfBirth: '17770814' });
    assert.deepEqual(bytes.subarray(0, 8), fromHex('6B215C045F0E5F2B'));
    assert.equal(decodeDg11(bytes).fullName, 'ØRSTED<<HANS');
  });

  it('reads BCD birth dates, ISO 8859-1 text and other names outside the A0 template', () => {
    assert.deepEqual(decodeDg11(fromHex('6B0E5F2B04197408125F0F04C5534100')).fullDateOfBirth, '19740812');
    const latin1 = decodeDg11(fromHex('6B075F0E04C5534100'));
    assert.equal(latin1.fullName, 'ÅSA\u0000');
    assert.deepEqual(decodeDg11(fromHex('6B065F0F03414243')).otherNames, ['ABC']);
  });

  it('rejects malformed files', () => {
    assert.throws(() => decodeDg11(fromHex('6B055F0E03414243')), MrtdError);
    assert.throws(() => decodeDg11(fromHex('6B08A006020102 5F0F00'.replace(' ', ''))), MrtdError);
    assert.throws(() => encodeDg11({ fullDateOfBirth: '1974-08-12' }), MrtdError);
  });
});

describe('DG12 (ICAO 9303-10 §4.7.12)', () => {
  it('round-trips every field with its encoder', () => {
    const dg12 = {
      issuingAuthority: 'UTOPIA PASSPORT OFFICE',
      dateOfIssue: '20120415',
      namesOfOtherPersons: ['ERIKSSON<<NILS'],
      endorsementsAndObservations: 'NONE',
      taxOrExitRequirements: 'NONE',
      imageOfFront: Uint8Array.of(1, 2),
      imageOfRear: Uint8Array.of(3),
      personalizationDateTime: '20120415103000',
      personalizationSystemSerialNumber: 'SN-42',
    };
    assert.deepEqual(decodeDg12(encodeDg12(dg12)), dg12);
    assert.deepEqual(decodeDg12(encodeDg12({ dateOfIssue: '20200101' })), { dateOfIssue: '20200101' });
  });

  it('rejects the wrong file tag', () => {
    assert.throws(() => decodeDg12(encodeDg11({ title: 'X' })), MrtdError);
  });
});
