import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_DATABASES, useTestStore } from '../../../test/helpers/test-databases.ts';
import { AuditBatcher } from './audit-batcher.ts';

for (const database of TEST_DATABASES) {
  describe(`audit batcher (${database.name})`, { skip: database.skip }, () => {
    const t = useTestStore(database);

    it('commits concurrent logins as one chain, each caller after its own event is in', async () => {
      const batches: number[] = [];
      const audit = t.store.audit;
      const batcher = new AuditBatcher({
        appendMany: (inputs) => {
          batches.push(inputs.length);
          return audit.appendMany(inputs);
        },
      });
      const before = (await audit.list({ limit: 100_000 })).length;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          batcher.append({ type: 'oidc.login.succeeded', subject: `identity-${i}`, data: { i } }, 1000 + i),
        ),
      );
      const events = (await audit.list({ limit: 100_000 })).slice(before);
      assert.equal(events.length, 50);
      assert.deepEqual(new Set(events.map((e) => e.subject)).size, 50);
      assert.ok(batches.length < 50, `${batches.length} batches for 50 events`);
      assert.equal((await audit.verify()).ok, true);
      // A lone event later is committed too (the batcher drains again).
      await batcher.append({ type: 'oidc.login.refused', subject: 'identity-x' }, 2000);
      assert.equal((await audit.list({ afterSeq: events.at(-1)?.seq ?? 0 }))[0]?.subject, 'identity-x');
      assert.equal((await audit.verify()).ok, true);
    });
  });
}

describe('audit batcher failures', () => {
  it('fails every caller of a batch that did not commit, and keeps serving later ones', async () => {
    let fail = true;
    const batcher = new AuditBatcher({
      appendMany: async (inputs) => {
        if (fail) throw new TypeError('database down');
        return inputs.map(() => ({}) as never);
      },
    });
    const results = await Promise.allSettled([
      batcher.append({ type: 'a' }, 1),
      batcher.append({ type: 'b' }, 2),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    fail = false;
    await batcher.append({ type: 'c' }, 3);
  });
});
