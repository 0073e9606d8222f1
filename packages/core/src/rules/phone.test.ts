import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseMobileNumber } from './phone.ts';

const e164 = (input: unknown) => {
  const r = parseMobileNumber(input);
  return r.ok ? r.value.e164 : r.error.code;
};

describe('parseMobileNumber', () => {
  it('normalises Danish mobile numbers with or without +45', () => {
    for (const input of [
      '20123456',
      '20 12 34 56',
      '+45 20 12 34 56',
      '+4520123456',
      '004520123456',
      '(+45) 20-12-34-56',
    ]) {
      assert.equal(e164(input), '+4520123456', input);
    }
    const r = parseMobileNumber('31 00 00 00');
    assert.ok(r.ok && r.value.danish);
    for (const prefix of [
      '2',
      '30',
      '31',
      '40',
      '41',
      '42',
      '50',
      '51',
      '52',
      '53',
      '60',
      '61',
      '71',
      '81',
      '91',
      '92',
      '93',
    ]) {
      assert.equal(e164(`${prefix}${'1'.repeat(8 - prefix.length)}`).startsWith('+45'), true, prefix);
    }
    assert.equal(e164('43112233'), '+4543112233', '431x: a mobile exception in a landline series');
  });

  it('refuses Danish landline, service and premium numbers', () => {
    for (const n of [
      '33123456',
      '36123456',
      '45123456',
      '70101155',
      '80808080',
      '90123456',
      '98123456',
      '11223344',
      '+4533123456',
    ]) {
      assert.equal(e164(n), 'ERR_PHONE_NOT_MOBILE', n);
    }
  });

  it('accepts other countries with + and 8-15 digits', () => {
    assert.equal(e164('+299 52 12 34'), '+299521234', 'Greenland');
    assert.equal(e164('+298 212345'), '+298212345', 'Faroe Islands');
    assert.equal(e164('+46 70 123 45 67'), '+46701234567');
    assert.equal(e164('0049 151 12345678'), '+4915112345678');
    const r = parseMobileNumber('+46701234567');
    assert.ok(r.ok && !r.value.danish);
  });

  it('refuses malformed numbers', () => {
    for (const n of [
      '',
      '2012345',
      '201234567',
      '+45201234567',
      '+4520123',
      '+1234567',
      '+1234567890123456',
      '+0123456789',
      '45 20123456',
      '+45 2O123456',
      'phone',
      '++4520123456',
      null,
      20123456,
      '2'.repeat(1000),
    ]) {
      assert.equal(e164(n), 'ERR_PHONE_FORMAT', String(n));
    }
  });

  it('never throws; every accepted number is E.164 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ]{6,20}$/), fc.anything()), (x) => {
        const r = parseMobileNumber(x);
        if (r.ok) assert.match(r.value.e164, /^\+[1-9]\d{7,14}$/);
      }),
      { numRuns: 1000 },
    );
  });
});
