import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { passwordsMatch, validateNewPassword, validatePassword } from './password.ts';
import { passwordStrength, passwordStrengthBits } from './password-strength.ts';

const code = (pw: unknown, userId?: string) => {
  const r = validatePassword(pw, userId === undefined ? {} : { userId });
  return r.ok ? 'ok' : r.error.code;
};

describe('validatePassword', () => {
  it('accepts 8-64 characters', () => {
    assert.equal(code('Hund!Kat'), 'ok');
    assert.equal(code('x7#Kp2!q'.repeat(8)), 'ok');
    assert.equal(code('rødgrød med fløde'), 'ok');
    assert.equal(code('Hund!Ka'), 'ERR_PASSWORD_TOO_SHORT');
    assert.equal(code(`${'x7#Kp2!q'.repeat(8)}z`), 'ERR_PASSWORD_TOO_LONG');
    assert.equal(code('x'.repeat(100_000)), 'ERR_PASSWORD_TOO_LONG');
    // Length counts characters, not UTF-16 units: 8 emoji are 8 characters.
    assert.equal(code('🐶🐱🐭🐹🐰🦊🐻🐼'), 'ok');
  });

  it('refuses control characters and lone surrogates', () => {
    assert.equal(code('Hund\u0000Kat1'), 'ERR_PASSWORD_CHARSET');
    assert.equal(code('Hund\nKat12'), 'ERR_PASSWORD_CHARSET');
    assert.equal(code('Hund\uD800Kat12'), 'ERR_PASSWORD_CHARSET');
    assert.equal(code(undefined), 'ERR_INVALID_INPUT');
  });

  it('refuses the user-ID inside, case-insensitively', () => {
    assert.equal(code('MyJens.Hansen!', 'jens.hansen'), 'ERR_PASSWORD_CONTAINS_USER_ID');
    assert.equal(code('xJENS.HANSENx', 'Jens.Hansen'), 'ERR_PASSWORD_CONTAINS_USER_ID');
    assert.equal(code('Hund!Kat', 'jens.hansen'), 'ok');
  });

  it('refuses 10 digits in a row', () => {
    assert.equal(code('a0101901234'), 'ERR_PASSWORD_TEN_DIGITS');
    assert.equal(code('pin 987105432 ok'), 'ok', 'nine digits');
  });

  it('refuses "password" and "adgangskode", also disguised', () => {
    for (const pw of [
      'MyPassword!',
      'adgangskode77',
      'P@ssw0rd99',
      'pa$$word!',
      'ADGANGSKODE!',
      'kodeord123',
    ]) {
      assert.equal(code(pw), 'ERR_PASSWORD_FORBIDDEN_WORD', pw);
    }
  });

  it('refuses keyboard rows and alphabet runs of 8', () => {
    for (const pw of [
      'qwertyui',
      'asdfghjk',
      'abc12345',
      'Qwertyuiop!',
      'xx87654321',
      'abcdefgh',
      'iuytrewq',
      'øælkjhgf',
    ]) {
      assert.equal(code(pw), 'ERR_PASSWORD_KEYBOARD_SEQUENCE', pw);
    }
    assert.equal(code('qwerty12'), 'ok', 'six keys and a pair');
    assert.equal(code('zxcvbnm!'), 'ok', 'the bottom row has only 7 letters');
  });

  it('returns the NFC form for hashing, with a strength', () => {
    const r = validatePassword('Bra\u030Aten#Hus');
    assert.ok(r.ok);
    assert.equal(r.value.password, 'Bråten#Hus');
    assert.ok(r.value.strength >= 0 && r.value.strength <= 4);
  });

  it('never throws and keeps results within the rules (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.anything()),
        (x) => {
          const r = validatePassword(x, { userId: 'jens1' });
          if (!r.ok) return;
          const n = [...r.value.password].length;
          assert.ok(n >= 8 && n <= 64);
          assert.ok(!/\d{10}/.test(r.value.password));
          assert.ok(!r.value.password.toLowerCase().includes('jens1'));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('password twice', () => {
  it('compares after normalisation', () => {
    assert.ok(passwordsMatch('Bråten#Hus', 'Bra\u030Aten#Hus'));
    assert.equal(passwordsMatch('Hund!Kat', 'hund!Kat'), false);
    assert.ok(validateNewPassword('Hund!Kat9', 'Hund!Kat9').ok);
    const r = validateNewPassword('Hund!Kat9', 'Hund!Kat8');
    assert.ok(!r.ok && r.error.code === 'ERR_PASSWORD_MISMATCH');
  });
});

describe('passwordStrength', () => {
  it('ranks weak to strong as documented', () => {
    assert.equal(passwordStrength(''), 0);
    assert.equal(passwordStrength('abcdefg1'), 0);
    assert.equal(passwordStrength('sommer2024'), 1);
    assert.equal(passwordStrength('Hund1234!'), 2);
    assert.equal(passwordStrength('h7$Kq9!x'), 3);
    assert.equal(passwordStrength('correct horse battery staple'), 4);
    assert.equal(passwordStrength('aaaaaaaaaaaaaaaaaaaa'), 0);
  });

  it('grows with length and variety, shrinks with repetition', () => {
    assert.ok(passwordStrengthBits('h7$Kq9!xW') > passwordStrengthBits('h7$Kq9!x'));
    assert.ok(passwordStrengthBits('h7$Kq9!x') > passwordStrengthBits('h7skq9ax'));
    assert.ok(passwordStrengthBits('hhhhhhhh') < passwordStrengthBits('hjdkwpqz'));
  });

  it('is a total function from strings to 0-4', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        const score = passwordStrength(s);
        assert.ok(Number.isInteger(score) && score >= 0 && score <= 4);
      }),
      { numRuns: 500 },
    );
  });
});
