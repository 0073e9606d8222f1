import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CORE_ERROR_CODES, coreErrorSpec } from '../errors.ts';
import { CORE_MESSAGES, coreMessage, LOCALES } from './catalog.ts';
import { SERVER_MESSAGE_IDS } from './server-message-ids.ts';

describe('message catalog', () => {
  it('has the same keys in every locale', () => {
    const reference = Object.keys(CORE_MESSAGES.en).sort();
    for (const locale of LOCALES)
      assert.deepEqual(Object.keys(CORE_MESSAGES[locale]).sort(), reference, locale);
  });

  it('has a text for every error code and server message ID, in every locale, and no stray keys', () => {
    const ids = new Set<string>([
      ...CORE_ERROR_CODES.map((c) => coreErrorSpec(c).messageId),
      ...SERVER_MESSAGE_IDS,
    ]);
    assert.deepEqual(new Set(Object.keys(CORE_MESSAGES.en)), ids);
  });

  it('has no empty, untrimmed or untranslated-placeholder strings', () => {
    for (const locale of LOCALES) {
      for (const [id, text] of Object.entries(CORE_MESSAGES[locale])) {
        assert.ok(text.trim().length > 0, `${locale} ${id} empty`);
        assert.equal(text, text.trim(), `${locale} ${id} untrimmed`);
        assert.ok(!text.includes('TODO') && !text.startsWith('error.'), `${locale} ${id} placeholder`);
        assert.ok(text.length <= 120, `${locale} ${id} too long for a phone screen`);
      }
    }
  });

  it('keeps the numbers of the rules the same in every language', () => {
    const numbers = (s: string) => (s.match(/\d+/g) ?? []).sort().join(',');
    for (const id of Object.keys(CORE_MESSAGES.en) as (keyof typeof CORE_MESSAGES.en)[]) {
      for (const locale of LOCALES)
        assert.equal(numbers(coreMessage(locale, id)), numbers(coreMessage('en', id)), `${locale} ${id}`);
    }
  });
});
