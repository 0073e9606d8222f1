import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServerError } from '../../errors.ts';
import { workerCount } from './start.ts';

describe('tillid start --workers', () => {
  it('defaults to one process; the option overrides TILLID_WORKERS', () => {
    assert.equal(workerCount(undefined, {}), 1);
    assert.equal(workerCount(undefined, { TILLID_WORKERS: '2' }), 2);
    assert.equal(workerCount('3', { TILLID_WORKERS: '2' }), 3);
  });

  it('refuses anything but a whole number from 1 to 64 as a configuration error', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '65', ''])
      assert.throws(
        () => workerCount(bad, {}),
        (e: unknown) => isServerError(e) && e.code === 'ERR_CONFIG',
      );
  });
});
