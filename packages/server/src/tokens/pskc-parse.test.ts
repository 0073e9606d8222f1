import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isServerError } from '../errors.ts';
import { encodePskc } from './pskc-encode.ts';
import { type PskcContainer, type PskcKey, parsePskc } from './pskc-parse.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/pskc/${name}`, import.meta.url), 'utf8');
const isCode = (code: string) => (e: unknown) => isServerError(e) && e.code === code;
const HOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:hotp';
const ascii = (s: string) => new TextEncoder().encode(s);

describe('parsePskc on the RFC 6030 examples', () => {
  it('Figure 2 (§4): the basic container, a plain HOTP secret "1234"', () => {
    const c = parsePskc(fixture('rfc6030-figure2.pskcxml'));
    assert.equal(c.version, '1.0');
    assert.equal(c.id, 'exampleID1');
    assert.equal(c.keys.length, 1);
    const k = c.keys[0];
    assert.equal(k?.id, '12345678');
    assert.equal(k?.algorithm, HOTP);
    assert.equal(k?.issuer, 'Issuer-A');
    assert.deepEqual(k?.secret, { kind: 'plain', value: ascii('1234') });
    assert.equal(c.encryptionKey, undefined);
  });

  it('Figure 3 (§4.3): device info, response format and counter', () => {
    const k = parsePskc(fixture('rfc6030-figure3.pskcxml')).keys[0];
    assert.equal(k?.manufacturer, 'Manufacturer');
    assert.equal(k?.serialNo, '987654321');
    assert.deepEqual(k?.responseFormat, { length: 8, encoding: 'DECIMAL' });
    assert.equal(k?.counter, 0);
    assert.deepEqual(k?.secret, { kind: 'plain', value: ascii('12345678901234567890') });
  });

  it('Figure 6 (§6.1): a pre-shared key name, an encrypted MAC key and an encrypted secret with its MAC', () => {
    const c = parsePskc(fixture('rfc6030-figure6.pskcxml'));
    assert.deepEqual(c.encryptionKey, { kind: 'pre-shared', name: 'Pre-shared-key' });
    assert.equal(c.mac?.algorithm, 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
    assert.equal(c.mac?.key?.algorithm, 'http://www.w3.org/2001/04/xmlenc#aes128-cbc');
    assert.equal(c.mac?.key?.cipher.length, 48);
    const s = c.keys[0]?.secret;
    assert.equal(s?.kind, 'encrypted');
    if (s?.kind !== 'encrypted') return;
    assert.equal(
      Buffer.from(s.encrypted.cipher.subarray(0, 16)).toString('hex'),
      '000102030405060708090a0b0c0d0e0f',
    );
    assert.equal(Buffer.from(s.mac ?? []).toString('base64'), 'Su+NvtQfmvfJzF6bmQiJqoLRExc=');
  });

  it('Figure 10 (§8): bulk provisioning, four keys in four packages (one serial twice)', () => {
    const c = parsePskc(fixture('rfc6030-figure10.pskcxml'));
    assert.deepEqual(
      c.keys.map((k) => [k.id, k.serialNo, k.manufacturer]),
      [
        ['1', '654321', 'TokenVendorAcme'],
        ['2', '123456', 'TokenVendorAcme'],
        ['3', '9999999', 'TokenVendorAcme'],
        ['4', '9999999', 'TokenVendorAcme'],
      ],
    );
  });
});

describe('parsePskc refuses what is not a PSKC container, naming the problem', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['not XML', 'hello', /malformed XML|root element/],
    ['unclosed', '<KeyContainer Version="1.0"><KeyPackage></KeyContainer>', /malformed XML/],
    ['another root', '<Foo Version="1.0"/>', /root element/],
    ['wrong version', '<KeyContainer Version="2.0"><KeyPackage/></KeyContainer>', /Version is 2.0/],
    ['no keys', '<KeyContainer Version="1.0"></KeyContainer>', /no keys/],
    [
      'a DTD',
      '<!DOCTYPE x [<!ENTITY a "aaaa">]><KeyContainer Version="1.0"/>',
      /DOCTYPE and ENTITY declarations/,
    ],
    [
      'no Algorithm',
      '<KeyContainer Version="1.0"><KeyPackage><Key Id="1"/></KeyPackage></KeyContainer>',
      /key 1 \(Id 1\) has no Algorithm/,
    ],
    [
      'bad base64',
      `<KeyContainer Version="1.0"><KeyPackage><Key Id="1" Algorithm="${HOTP}"><Data><Secret><PlainValue>@@@@</PlainValue></Secret></Data></Key></KeyPackage></KeyContainer>`,
      /key 1 Secret is not base64/,
    ],
    [
      'bad counter',
      `<KeyContainer Version="1.0"><KeyPackage><Key Id="1" Algorithm="${HOTP}"><Data><Counter><PlainValue>x</PlainValue></Counter></Data></Key></KeyPackage></KeyContainer>`,
      /Counter is not an integer/,
    ],
  ];
  for (const [name, xml, message] of cases) {
    it(name, () => {
      assert.throws(
        () => parsePskc(xml),
        (e: unknown) => isCode('ERR_PSKC_INVALID')(e) && message.test((e as Error).message),
      );
    });
  }
});

const keyArb: fc.Arbitrary<Omit<PskcKey, 'position'>> = fc
  .record(
    {
      id: fc.stringMatching(/^[A-Za-z0-9<>&"'-]{1,12}$/),
      algorithm: fc.constantFrom(HOTP, 'urn:ietf:params:xml:ns:keyprov:pskc:totp'),
      issuer: fc.stringMatching(/^[A-Za-z0-9æøå<&]{1,10}$/),
      serialNo: fc.stringMatching(/^[A-Z0-9-]{1,10}$/),
      manufacturer: fc.stringMatching(/^[A-Za-z]{1,10}$/),
      responseFormat: fc.record({
        length: fc.integer({ min: 4, max: 10 }),
        encoding: fc.constant('DECIMAL'),
      }),
      secret: fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((value) => ({ kind: 'plain' as const, value })),
      counter: fc.integer({ min: 0, max: 2 ** 40 }),
      timeInterval: fc.integer({ min: 1, max: 300 }),
    },
    { requiredKeys: ['id', 'algorithm'] },
  )
  .map((k) => ({ ...k, ...(k.responseFormat ? { responseFormat: { ...k.responseFormat } } : {}) }));

describe('parsePskc properties', () => {
  it('round-trips every container encodePskc writes', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 4 }), (keys) => {
        const c: PskcContainer = { version: '1.0', keys: keys.map((k, i) => ({ ...k, position: i + 1 })) };
        assert.deepEqual(parsePskc(encodePskc(c)), c);
      }),
      { numRuns: 200 },
    );
  });

  it('throws only ERR_PSKC_* errors on arbitrary and mutated input', () => {
    const base = fixture('rfc6030-figure6.pskcxml');
    const input = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.nat({ max: base.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }))
        .map(([at, cut, text]) => base.slice(0, at) + text + base.slice(at + cut)),
    );
    fc.assert(
      fc.property(input, (xml) => {
        try {
          parsePskc(xml);
        } catch (e) {
          assert.ok(isServerError(e) && e.code.startsWith('ERR_PSKC_'), String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
