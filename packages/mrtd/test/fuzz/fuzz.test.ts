// The fuzz targets under fast-check with few runs, so CI checks every hostile-input parser on each push.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MrtdError } from '../../src/index.ts';
import { makeRng, nextCase } from './mutate.ts';
import { FUZZ_TARGETS } from './targets.ts';

describe('hostile-input parsers throw only MrtdError (property)', () => {
  for (const target of FUZZ_TARGETS) {
    it(target.name, () => {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const input = nextCase(makeRng(seed), target.seeds, target.alphabet);
          try {
            target.run(input);
          } catch (e) {
            if (!(e instanceof MrtdError)) throw e;
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
