import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { TEST_DATABASES } from '../../test/helpers/test-databases.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { isServerError } from '../errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { type FlowDefinition, flowToMermaid } from './flow-definition.ts';
import { FlowEngine } from './flow-engine.ts';

type S = 'started' | 'named' | 'done';
interface C {
  name?: string;
  applied: number;
}

const definition: FlowDefinition<S, C, { sideEffects: string[] }> = {
  kind: 'demo',
  states: ['started', 'named', 'done'],
  initial: 'started',
  final: ['done'],
  ttlMs: 60_000,
  transitions: [
    {
      event: 'name-given',
      from: ['started', 'named'],
      to: ['named'],
      input: z.object({ name: z.string().min(1) }),
      apply: async (ctx, input, env) => {
        env.deps.sideEffects.push(`named ${input.name}`);
        return {
          state: 'named',
          context: { ...ctx, name: input.name, applied: ctx.applied + 1 },
          output: { hello: input.name },
        };
      },
    },
    {
      event: 'finished',
      from: ['named'],
      to: ['done'],
      input: z.object({}),
      apply: async (ctx) => ({ state: 'done', context: ctx, output: { bye: ctx.name } }),
    },
  ],
};

const isCode = (code: string) => (e: unknown) => isServerError(e) && e.code === code;

for (const database of TEST_DATABASES) {
  describe(`flow engine on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    let drop: () => Promise<void>;
    const sideEffects: string[] = [];
    let engine: FlowEngine<S, C, { sideEffects: string[] }>;

    before(async () => {
      const created = await database.create();
      drop = created.drop;
      store = await openStore(created.target);
      engine = new FlowEngine({
        definition,
        store,
        deps: { sideEffects },
        secretBox: new SecretBox(new Uint8Array(randomBytes(32))),
        hmacKey: new Uint8Array(randomBytes(32)),
      });
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    it('runs transitions in order and answers a retried request with the same result, once', async () => {
      const f = await engine.start({ applied: 0 }, 1000);
      const a = await engine.fire(f.id, 'name-given', { name: 'Anna' }, 1001);
      const again = await engine.fire(f.id, 'name-given', { name: 'Anna' }, 1002);
      assert.deepEqual(again, a);
      assert.deepEqual(sideEffects, ['named Anna']);
      assert.doesNotMatch(JSON.stringify(await store.flows.get(f.id)), /hello/, 'kept outputs are sealed');
      assert.equal((await engine.load(f.id, 1003)).context.applied, 1);
      const done = await engine.fire(f.id, 'finished', {}, 1004);
      assert.deepEqual(done.output, { bye: 'Anna' });
      assert.equal(done.flow.state, 'done');
    });

    it('refuses steps out of order, bad input, unknown flows and expired flows, changing nothing', async () => {
      const f = await engine.start({ applied: 0 }, 1000);
      await assert.rejects(engine.fire(f.id, 'finished', {}, 1001), isCode('ERR_FLOW_STATE'));
      await assert.rejects(engine.fire(f.id, 'name-given', { name: '' }, 1001), isCode('ERR_VALIDATION'));
      await assert.rejects(engine.fire(f.id, 'no-such-step', {}, 1001), isCode('ERR_NOT_FOUND'));
      await assert.rejects(engine.fire('missing', 'finished', {}, 1001), isCode('ERR_FLOW_NOT_FOUND'));
      await assert.rejects(
        engine.fire(f.id, 'name-given', { name: 'B' }, 1000 + 60_000),
        isCode('ERR_FLOW_EXPIRED'),
      );
      await assert.rejects(engine.load(f.id, 1000 + 60_000), isCode('ERR_FLOW_EXPIRED'));
      const r = await store.flows.get(f.id);
      assert.equal(r?.version, 1);
      assert.equal(r?.state, 'started');
    });

    it('applies only one of two racing different requests', async () => {
      const f = await engine.start({ applied: 0 }, 1000);
      const results = await Promise.allSettled([
        engine.fire(f.id, 'name-given', { name: 'X' }, 1001),
        engine.fire(f.id, 'name-given', { name: 'Y' }, 1001),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.ok(ok.length >= 1);
      for (const l of lost) assert.ok(isCode('ERR_FLOW_VERSION')((l as PromiseRejectedResult).reason));
    });
  });
}

describe('flowToMermaid', () => {
  it('draws every allowed transition', () => {
    assert.equal(
      flowToMermaid(definition),
      'stateDiagram-v2\n  [*] --> started\n  started --> named: name-given\n  named --> named: name-given\n  named --> done: finished\n  done --> [*]\n',
    );
  });
});
