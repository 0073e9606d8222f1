import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cprBirthYear, cprPassesModulus11, formatCpr, isCpr, parseCpr } from './cpr.ts';

describe('parseCpr', () => {
  it('parses with and without dash, normalising to 10 digits', () => {
    // A long-published example number (it also passes modulus 11).
    const expected = { cpr: '0707614285', birthDate: '1961-07-07', sex: 'M' };
    assert.deepEqual(parseCpr('070761-4285'), { ok: true, value: expected });
    assert.deepEqual(parseCpr('0707614285'), { ok: true, value: expected });
    assert.deepEqual(parseCpr(' 070761-4285\n'), { ok: true, value: expected });
    assert.equal(formatCpr('0707614285'), '070761-4285');
  });

  it('takes sex from the parity of the last digit', () => {
    const odd = parseCpr('010190-1235');
    const even = parseCpr('010190-1234');
    assert.ok(odd.ok && even.ok);
    assert.equal(odd.value.sex, 'M');
    assert.equal(even.value.sex, 'F');
  });

  it("follows the CPR office's century table", () => {
    const year = (s: string) => {
      const r = parseCpr(s);
      assert.ok(r.ok, s);
      return r.value.birthDate.slice(0, 4);
    };
    // 7th digit 0-3: 1900s, whatever YY
    for (const d of '0123') {
      assert.equal(year(`010100-${d}000`), '1900');
      assert.equal(year(`010199-${d}000`), '1999');
    }
    // 4 and 9: 2000-2036, 1937-1999
    for (const d of '49') {
      assert.equal(year(`010100-${d}000`), '2000');
      assert.equal(year(`010136-${d}000`), '2036');
      assert.equal(year(`010137-${d}000`), '1937');
      assert.equal(year(`010199-${d}000`), '1999');
    }
    // 5-8: 2000-2057, 1858-1899
    for (const d of '5678') {
      assert.equal(year(`010100-${d}000`), '2000');
      assert.equal(year(`010157-${d}000`), '2057');
      assert.equal(year(`010158-${d}000`), '1858');
      assert.equal(year(`010199-${d}000`), '1899');
    }
  });

  it('checks the calendar date in the right century (leap years)', () => {
    assert.ok(parseCpr('290200-4000').ok, '2000 is a leap year');
    assert.equal(parseCpr('290200-1000').ok, false, '1900 is not');
    assert.ok(parseCpr('290256-5000').ok, '2056 is');
    assert.equal(parseCpr('290258-5000').ok, false, '1858 is not');
    assert.ok(parseCpr('290296-1000').ok);
    for (const bad of [
      '000190-1234',
      '320190-1234',
      '310490-1234',
      '010090-1234',
      '011390-1234',
      '300290-1234',
    ]) {
      const r = parseCpr(bad);
      assert.ok(!r.ok && r.error.code === 'ERR_CPR_DATE', bad);
      assert.equal(r.error.messageId, 'error.cpr.invalidDate');
    }
  });

  it('refuses malformed input with ERR_CPR_FORMAT', () => {
    for (const bad of [
      '',
      '010190-123',
      '010190--1234',
      '01019-01234',
      '010190 1234',
      '01019012345',
      'abcdef-ghij',
      '０１０１９０１２３４', // full-width digits
      '010190\u20131234', // en dash
      null,
      undefined,
      1019012345,
      {},
      '1'.repeat(1e5),
    ]) {
      const r = parseCpr(bad);
      assert.ok(!r.ok && r.error.code === 'ERR_CPR_FORMAT', String(bad).slice(0, 20));
    }
  });

  it('does not require modulus 11, but can report it', () => {
    assert.equal(cprPassesModulus11('0707614285'), true);
    assert.equal(cprPassesModulus11('0101901234'), false);
    assert.ok(parseCpr('010190-1234').ok);
    assert.equal(cprPassesModulus11('x'), false);
  });

  it('optionally refuses birth dates after today', () => {
    const today = new Date('2024-06-15T12:00:00Z');
    const r = parseCpr('010130-4000', { today });
    assert.ok(!r.ok && r.error.code === 'ERR_CPR_FUTURE_DATE');
    assert.ok(parseCpr('150624-4000', { today }).ok, 'born today');
    assert.equal(parseCpr('160624-4000', { today }).ok, false);
    assert.ok(parseCpr('010130-4000').ok, 'no clock, no check');
    assert.equal(
      parseCpr('010190-1234', { today: new Date(Number.NaN) }).ok,
      false,
      'bad clock fails closed',
    );
  });
});

/** The 7th digits whose century rule puts a two-digit year into `year`. */
function seventhDigitsFor(year: number): number[] {
  return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => cprBirthYear(year % 100, d) === year);
}

describe('parseCpr properties', () => {
  const dates = fc
    .date({
      min: new Date('1858-01-01T00:00:00Z'),
      max: new Date('2057-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it('parses every real date with a fitting 7th digit back to the same date', () => {
    fc.assert(
      fc.property(dates, fc.nat(9), fc.integer({ min: 0, max: 999 }), (iso, pick, tail) => {
        const [y, m, d] = iso.split('-') as [string, string, string];
        const digits = seventhDigitsFor(Number(y));
        const seventh = digits[pick % digits.length]!;
        const cpr = `${d}${m}${y.slice(2)}-${seventh}${String(tail).padStart(3, '0')}`;
        const r = parseCpr(cpr);
        assert.ok(r.ok, cpr);
        assert.equal(r.value.birthDate, iso);
        assert.equal(r.value.cpr, cpr.replace('-', ''));
        assert.equal(r.value.sex, tail % 2 === 1 ? 'M' : 'F');
      }),
      { numRuns: 500 },
    );
  });

  it('every accepted number round-trips and has a real date', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}-?\d{4}$/), (s) => {
        const r = parseCpr(s);
        if (!r.ok) return;
        const date = new Date(`${r.value.birthDate}T00:00:00Z`);
        assert.equal(date.toISOString().slice(0, 10), r.value.birthDate);
        assert.deepEqual(parseCpr(formatCpr(r.value.cpr)), r);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (x) => {
        parseCpr(x);
        isCpr(x);
      }),
      { numRuns: 500 },
    );
  });
});
