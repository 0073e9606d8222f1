import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pinsMatch, trivialPinReason, validateNewPin, validatePin } from './pin.ts';

const code = (pin: unknown, birthDate?: string) => {
  const r = validatePin(pin, birthDate === undefined ? {} : { birthDate });
  return r.ok ? 'ok' : `${r.error.code}:${String(r.error.details?.['reason'] ?? '')}`;
};

describe('validatePin', () => {
  it('accepts ordinary 6-digit PINs', () => {
    for (const pin of ['284719', '503816', '970142', '123457']) assert.equal(code(pin), 'ok', pin);
  });

  it('requires exactly 6 ASCII digits', () => {
    for (const bad of ['12345', '1234567', '12345a', ' 284719', '２８４７１９', '', null, 284719]) {
      assert.equal(code(bad), 'ERR_PIN_FORMAT:', String(bad));
    }
  });

  it('refuses all-same digits, runs up and down, with wrap-around, and other constant steps', () => {
    for (const pin of [
      '000000',
      '111111',
      '999999',
      '123456',
      '654321',
      '012345',
      '543210',
      '890123',
      '210987',
      '135791',
      '246802',
      '975319',
    ]) {
      assert.equal(code(pin), 'ERR_PIN_TRIVIAL:progression', pin);
    }
  });

  it('refuses repeated pairs and triples', () => {
    for (const pin of ['121212', '909090', '123123', '520520', '110110']) {
      assert.equal(code(pin), 'ERR_PIN_TRIVIAL:repeating', pin);
    }
  });

  it('refuses common PINs and the birth date', () => {
    for (const pin of ['112233', '123321', '159753', '147258'])
      assert.equal(code(pin), 'ERR_PIN_TRIVIAL:common', pin);
    for (const pin of ['070361', '610307', '030761'])
      assert.equal(code(pin, '1961-03-07'), 'ERR_PIN_TRIVIAL:birthDate', pin);
    assert.equal(code('070361'), 'ok', 'no birth date given');
  });

  it('refuses about 0.1% of all PINs', () => {
    let trivial = 0;
    for (let i = 0; i < 1_000_000; i += 1) {
      if (trivialPinReason(String(i).padStart(6, '0')) !== undefined) trivial++;
    }
    assert.ok(trivial > 1000 && trivial < 1300, String(trivial));
  });
});

describe('PIN twice', () => {
  it('matches only identical PINs', () => {
    assert.ok(pinsMatch('284719', '284719'));
    assert.equal(pinsMatch('284719', '284718'), false);
    assert.deepEqual(validateNewPin('284719', '284719'), { ok: true, value: '284719' });
    const r = validateNewPin('284719', '284710');
    assert.ok(!r.ok && r.error.code === 'ERR_PIN_MISMATCH');
    const t = validateNewPin('111111', '111111');
    assert.ok(!t.ok && t.error.code === 'ERR_PIN_TRIVIAL');
    assert.equal(validateNewPin('284719', undefined).ok, false);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        validatePin(a);
        validateNewPin(a, b);
      }),
      { numRuns: 300 },
    );
  });
});
