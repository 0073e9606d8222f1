// Seed steps 9-10: a Danish CPR number or a P-code. The CPR is only checked for form here: the register is
// asked after the chip is read, and any disagreement answers the same, so no step reveals whether a CPR
// number exists. A P-code is looked up at once; wrong entries are counted per flow (3) and per P-code.
import { CoreError, parseCpr, toCoreError } from '@tillid/core';
import { z } from 'zod';
import { enforceRateLimit } from '../../http/rate-limit.ts';
import { lookups } from '../../identity/identity-service.ts';
import { checkPcode } from '../../pcode/pcode-service.ts';
import { step } from '../enrollment-context.ts';

const WRONG_PCODES_PER_FLOW = 3;

export const personReferenced = step({
  event: 'person-referenced',
  from: ['country-chosen', 'person-referenced'],
  to: ['person-referenced'],
  input: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('cpr'), cpr: z.string().max(20) }),
    z.object({ kind: z.literal('pcode'), pcode: z.string().max(20) }),
  ]),
  apply: async (data, input, env) => {
    if (input.kind === 'cpr') {
      const cpr = parseCpr(input.cpr, { today: new Date(env.now) });
      if (!cpr.ok) throw toCoreError(cpr.error);
      // Per target value: one CPR number cannot be tried by many activations (from many sources) at once.
      // Learning anything about it also takes a genuine chip, so the bound can be generous.
      await enforceRateLimit(env.deps.store, {
        key: `cpr:${lookups.cpr(env.deps.hmacKey, cpr.value.cpr)}`,
        limit: 30,
        windowMs: 3600_000,
        now: env.now,
      });
      return {
        state: 'person-referenced',
        data: { ...data, reference: { kind: 'cpr', cpr: cpr.value.cpr } },
        output: { kind: 'cpr' },
      };
    }
    const key = `pcode-wrong:${env.flowId}`;
    const exhausted = () => new CoreError('ERR_PCODE_EXHAUSTED', 'too many wrong P-codes in this activation');
    if ((await env.deps.store.rateLimits.peek(key, env.now)) >= WRONG_PCODES_PER_FLOW) throw exhausted();
    const check = await checkPcode(
      { store: env.deps.store, secretBox: env.deps.secretBox, hmacKey: env.deps.hmacKey, now: () => env.now },
      input.pcode,
    );
    if (!check.ok) {
      if (check.error.code === 'ERR_PCODE_WRONG') {
        const hit = await env.deps.store.rateLimits.hit(key, { windowMs: 24 * 3600_000, now: env.now });
        if (hit.count >= WRONG_PCODES_PER_FLOW) throw exhausted();
      }
      throw toCoreError(check.error);
    }
    return {
      state: 'person-referenced',
      data: { ...data, reference: { kind: 'pcode', pcodeId: check.id, pcodeVersion: check.version } },
      output: { kind: 'pcode' },
    };
  },
});
