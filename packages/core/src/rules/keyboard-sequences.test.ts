import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSequenceStep, longestSequenceStretch, sequenceRuns } from './keyboard-sequences.ts';

describe('keyboard sequences', () => {
  it('knows neighbours on rows and in alphabets, both directions, any case', () => {
    assert.ok(isSequenceStep('q', 'w'));
    assert.ok(isSequenceStep('W', 'q'));
    assert.ok(isSequenceStep('p', 'å'));
    assert.ok(isSequenceStep('l', 'æ'));
    assert.ok(isSequenceStep('z', 'æ'), 'Danish alphabet: z æ ø å');
    assert.ok(isSequenceStep('9', '0'));
    assert.equal(isSequenceStep('0', '1'), false, 'the digit row does not wrap');
    assert.equal(isSequenceStep('q', 'e'), false);
  });

  it('splits text into runs and measures stretches of runs of 3+', () => {
    assert.deepEqual(sequenceRuns([...'abc12345']), [3, 5]);
    assert.equal(longestSequenceStretch([...'qwertyui']), 8);
    assert.equal(longestSequenceStretch([...'abc12345']), 8);
    assert.equal(longestSequenceStretch([...'abcdefg1']), 7);
    assert.equal(longestSequenceStretch([...'Hund1234!']), 4);
    assert.equal(longestSequenceStretch([]), 0);
  });
});
