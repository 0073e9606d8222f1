// Fuzzes every hostile-input parser: `node --import tsx packages/mrtd/test/fuzz/fuzz.ts [--runs N] [--seed S]
// [--only NAME]`. Prints per-parser counts; exits 1 if any parser throws something other than MrtdError.
import { parseArgs } from 'node:util';
import { isMrtdError, toHex } from '../../src/index.ts';
import { makeRng, nextCase } from './mutate.ts';
import { FUZZ_TARGETS } from './targets.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isSafeInteger(runs) || runs <= 0 || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: fuzz.ts [--runs N] [--seed S] [--only NAME]\n');
  process.exit(2);
}

let failed = false;
for (const target of FUZZ_TARGETS) {
  if (values.only !== undefined && target.name !== values.only) continue;
  const rng = makeRng(seed ^ [...target.name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
  const codes = new Map<string, number>();
  let accepted = 0;
  let crashes = 0;
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const input = nextCase(rng, target.seeds, target.alphabet);
    try {
      target.run(input);
      accepted++;
    } catch (e) {
      if (isMrtdError(e)) {
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        continue;
      }
      crashes++;
      if (crashes <= 3) {
        process.stderr.write(
          `${target.name}: non-MrtdError on input ${toHex(input.subarray(0, 512))}\n  ${String(e)}\n`,
        );
      }
    }
  }
  failed ||= crashes > 0;
  const ms = Math.round(performance.now() - started);
  const byCode = [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}=${n}`);
  process.stdout.write(
    `${target.name.padEnd(15)} runs=${runs} accepted=${accepted} crashes=${crashes} ${ms}ms  ${byCode.join(' ')}\n`,
  );
}
process.exit(failed ? 1 : 0);
