// Every LDS decoder round-trips with its encoder on generated content (property tests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeCom, encodeCom } from './com.ts';
import { decodeDg7, encodeDg7 } from './dg7.ts';
import { decodeDg11, encodeDg11 } from './dg11.ts';
import { decodeDg12, encodeDg12 } from './dg12.ts';
import { decodeCardAccess, decodeDg14, encodeCardAccess, encodeDg14 } from './dg14.ts';
import { SECURITY_PROTOCOL_OIDS as O, type SecurityInfo } from './security-infos.ts';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 8, maxLength: 14 });
const bytes = fc.uint8Array({ maxLength: 50 });
/** Builds an object without the keys whose value is undefined, as the decoders return. */
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

describe('LDS encoders and decoders round-trip (property)', () => {
  it('EF.COM', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { maxLength: 16 }), (dataGroups) => {
        assert.deepEqual(decodeCom(encodeCom({ dataGroups })).dataGroups, dataGroups);
      }),
      { numRuns: 200 },
    );
  });

  it('DG7', () => {
    fc.assert(
      fc.property(
        fc.array(
          bytes.filter((b) => b[0] !== 0xff && b[0] !== 0x00),
          { maxLength: 3 },
        ),
        (images) => {
          assert.deepEqual(decodeDg7(encodeDg7({ images: images.map((image) => ({ image })) })), {
            images: images.map((image) => ({ image })),
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('DG11 and DG12', () => {
    const dg11 = fc
      .record({
        fullName: opt(text),
        otherNames: opt(fc.array(text, { minLength: 1, maxLength: 3 })),
        personalNumber: opt(text),
        fullDateOfBirth: opt(digits),
        placeOfBirth: opt(text),
        proofOfCitizenship: opt(bytes),
        custodyInformation: opt(text),
      })
      .map(defined);
    fc.assert(
      fc.property(dg11, (d) => assert.deepEqual(decodeDg11(encodeDg11(d)), d)),
      { numRuns: 300 },
    );
    const dg12 = fc
      .record({
        issuingAuthority: opt(text),
        dateOfIssue: opt(digits),
        namesOfOtherPersons: opt(fc.array(text, { minLength: 1, maxLength: 3 })),
        imageOfFront: opt(bytes),
        personalizationDateTime: opt(digits),
      })
      .map(defined);
    fc.assert(
      fc.property(dg12, (d) => assert.deepEqual(decodeDg12(encodeDg12(d)), d)),
      { numRuns: 300 },
    );
  });

  it('DG14 and EF.CardAccess SecurityInfos', () => {
    const small = fc.integer({ min: 0, max: 70000 });
    const info: fc.Arbitrary<SecurityInfo> = fc.oneof(
      fc
        .record({ cipher: fc.integer({ min: 1, max: 4 }), version: small, parameterId: opt(small) })
        .map(({ cipher, ...r }) =>
          defined({ type: 'PACEInfo' as const, protocol: `${O.PACE_ECDH_GM}.${cipher}`, ...r }),
        ),
      fc
        .record({ version: small, keyId: opt(small) })
        .map((r) => defined({ type: 'ChipAuthenticationInfo' as const, protocol: `${O.CA_ECDH}.2`, ...r })),
      fc.record({ keyId: opt(small), key: bytes }).map(({ key, keyId }) =>
        defined({
          type: 'ChipAuthenticationPublicKeyInfo' as const,
          protocol: O.PK_ECDH,
          subjectPublicKeyInfo: Uint8Array.of(0x30, key.length, ...key),
          keyId,
        }),
      ),
      small.map((version) => ({ type: 'TerminalAuthenticationInfo' as const, protocol: O.TA, version })),
      small.map((version) => ({
        type: 'ActiveAuthenticationInfo' as const,
        protocol: O.AA,
        version,
        signatureAlgorithm: '1.2.840.10045.4.3.2',
      })),
    );
    fc.assert(
      fc.property(fc.array(info, { maxLength: 5 }), (securityInfos) => {
        assert.deepEqual(decodeDg14(encodeDg14({ securityInfos })), { securityInfos });
        assert.deepEqual(decodeCardAccess(encodeCardAccess({ securityInfos })), { securityInfos });
      }),
      { numRuns: 300 },
    );
  });
});
