import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVisionError } from '../errors.ts';
import { WorkQueue } from './work-queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('runs at most `concurrency` jobs and refuses beyond `maxQueued` with ERR_BUSY', async () => {
  const queue = new WorkQueue({ concurrency: 1, maxQueued: 1, name: 'face' });
  const gate = deferred();
  const order: string[] = [];
  const first = queue.run(async () => {
    order.push('first');
    await gate.promise;
    return 1;
  });
  const second = queue.run(async () => {
    order.push('second');
    return 2;
  });
  assert.equal(queue.running, 1);
  assert.equal(queue.queued, 1);
  await assert.rejects(
    queue.run(async () => 3),
    (e) => isVisionError(e, 'ERR_BUSY') && e.status === 503 && e.details?.['queue'] === 'face',
  );
  gate.resolve();
  assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  assert.deepEqual(order, ['first', 'second']);
  assert.equal(queue.running, 0);
});

test('a failing job frees its slot', async () => {
  const queue = new WorkQueue({ concurrency: 1, maxQueued: 0, name: 'x' });
  await assert.rejects(queue.run(async () => Promise.reject(new Error('boom'))));
  assert.equal(await queue.run(async () => 'ok'), 'ok');
});

test('closed queue refuses work', async () => {
  const queue = new WorkQueue({ concurrency: 2, maxQueued: 2, name: 'x' });
  queue.close();
  await assert.rejects(
    queue.run(async () => 1),
    (e) => isVisionError(e, 'ERR_ENGINE_CLOSED'),
  );
});
