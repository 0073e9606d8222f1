import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUserId } from './user-id.ts';

const code = (input: unknown) => {
  const r = parseUserId(input);
  return r.ok ? 'ok' : r.error.code;
};

describe('parseUserId', () => {
  it('accepts the allowed characters and folds case (NFC, lower case)', () => {
    assert.deepEqual(parseUserId('Jens.Hansen'), {
      ok: true,
      value: { canonical: 'jens.hansen', display: 'Jens.Hansen' },
    });
    assert.equal(code('ÆBLE Øl Å'), 'ok');
    const r = parseUserId('ÆBLE Øl Å');
    assert.ok(r.ok && r.value.canonical === 'æble øl å');
    assert.equal(code('a{}!#$ ^,*()_+-=:;?.@z'), 'ok');
    assert.equal(code('12345'), 'ok');
    assert.equal(code('a'.repeat(48)), 'ok');
  });

  it('treats composed and decomposed å as the same user-ID', () => {
    const composed = parseUserId('Bråten');
    const decomposed = parseUserId('Bra\u030Aten');
    assert.ok(composed.ok && decomposed.ok);
    assert.equal(composed.value.canonical, decomposed.value.canonical);
    // U+212B ANGSTROM SIGN is canonically equivalent to Å.
    const angstrom = parseUserId('\u212Bse.jensen');
    assert.ok(angstrom.ok && angstrom.value.canonical === 'åse.jensen');
  });

  it('folds canonical equivalents (NFC) but refuses compatibility look-alikes', () => {
    // U+212A KELVIN SIGN is canonically equivalent to K, so it is the same user-ID as 'karen'.
    const kelvin = parseUserId('\u212Aaren');
    assert.ok(kelvin.ok && kelvin.value.canonical === 'karen');
    const r = parseUserId('ｊｅｎｓ hansen'); // full-width letters
    assert.ok(!r.ok && r.error.code === 'ERR_USER_ID_CHARSET');
    assert.deepEqual(r.error.details, { characters: ['ｊ', 'ｅ', 'ｎ', 'ｓ'] });
    assert.equal(code('İstanbul'), 'ERR_USER_ID_CHARSET');
    assert.equal(code('jens\u00A0hansen'), 'ERR_USER_ID_CHARSET'); // no-break space
  });

  it('has one code per failure', () => {
    assert.equal(code('abcd'), 'ERR_USER_ID_TOO_SHORT');
    assert.equal(code('a'.repeat(49)), 'ERR_USER_ID_TOO_LONG');
    assert.equal(code('a'.repeat(10_000)), 'ERR_USER_ID_TOO_LONG');
    assert.equal(code(' jens hansen'), 'ERR_USER_ID_EDGE_SPACE');
    assert.equal(code('jens hansen '), 'ERR_USER_ID_EDGE_SPACE');
    assert.equal(code('jens\thansen'), 'ERR_USER_ID_CHARSET');
    assert.equal(code('jens/hansen'), 'ERR_USER_ID_CHARSET');
    assert.equal(code('jens%hansen'), 'ERR_USER_ID_CHARSET');
    assert.equal(code('jensß1'), 'ERR_USER_ID_CHARSET');
    assert.equal(code('0101901234'), 'ERR_USER_ID_CPR');
    assert.equal(code('010190-1234'), 'ERR_USER_ID_CPR');
    assert.equal(code('9999999999'), 'ERR_USER_ID_TEN_DIGITS');
    assert.equal(code('999999-9999'), 'ERR_USER_ID_TEN_DIGITS');
    assert.equal(code(null), 'ERR_INVALID_INPUT');
    assert.equal(code(42), 'ERR_INVALID_INPUT');
  });

  it('also refuses a CPR number or 10 digits inside the user-ID, even split by spaces, dashes or dots', () => {
    assert.equal(code('jens0101901234'), 'ERR_USER_ID_CPR');
    assert.equal(code('jens 01 01 90 12 34'), 'ERR_USER_ID_CPR');
    assert.equal(code('x01.01.90-1234x'), 'ERR_USER_ID_CPR');
    assert.equal(code('jens99999999999'), 'ERR_USER_ID_TEN_DIGITS');
    assert.equal(code('tel 99 99 99 99 99'), 'ERR_USER_ID_TEN_DIGITS');
    // Nine digits, or digits separated by other characters, are fine.
    assert.equal(code('jens999999999'), 'ok');
    assert.equal(code('01019_01234'), 'ok');
    assert.equal(code('12  34567890'), 'ok'); // two spaces break the run
  });

  it('properties: never throws; canonical is stable and valid', () => {
    const allowed = [
      ...'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789{}!#$ ^,*()_+-=:;?.@',
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: fc.constantFrom(...allowed), maxLength: 60 }),
          fc.anything(),
        ),
        (x) => {
          const r = parseUserId(x);
          if (!r.ok) return;
          const again = parseUserId(r.value.canonical);
          assert.ok(again.ok);
          assert.equal(again.value.canonical, r.value.canonical);
          assert.equal(r.value.canonical, r.value.canonical.toLowerCase());
          const n = [...r.value.canonical].length;
          assert.ok(n >= 5 && n <= 48);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
