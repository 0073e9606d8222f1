// The reader facing a hostile chip: whatever the card answers, readDocument ends with a result or an
// MrtdError, never another exception and never a hang.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestDocument } from '../chip/create-test-document.ts';
import { createVirtualChip } from '../chip/create-virtual-chip.ts';
import type { TestDocument } from '../chip/test-document.ts';
import { MrtdError } from '../errors.ts';
import { MemoryTransport } from '../transport/memory-transport.ts';
import { readDocument } from './read-document.ts';

const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

async function mustEndTyped(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof MrtdError)) throw e;
  }
}

const response = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((d) => Uint8Array.of(...d, 0x90, 0x00)),
  fc.uint8Array({ maxLength: 40 }).map((d) => Uint8Array.of(0x31, d.length, ...d, 0x90, 0x00)),
  fc.constantFrom(
    Uint8Array.of(0x62, 0x82),
    Uint8Array.of(0x6c, 0x10),
    Uint8Array.of(0x67, 0x00),
    Uint8Array.of(0x69, 0x88),
  ),
);

let doc: TestDocument;
before(async () => {
  doc = await createTestDocument({ pace: true, aa: 'ec' });
});

describe('readDocument against a hostile chip', () => {
  it('only ever throws MrtdError when every answer is random', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(response, { maxLength: 40 }), fc.boolean(), async (answers, useCan) => {
        let i = 0;
        const transport = {
          maxResponseLength: 65536,
          async transmit() {
            return answers[i++] ?? Uint8Array.of(0x6a, 0x82);
          },
        };
        await mustEndTyped(
          readDocument({
            transport,
            password: useCan
              ? { kind: 'can', can: '123456' }
              : { kind: 'mrz', mrzInformation: 'T12345678<9900101<301231' },
            activeAuthenticationChallenge: challenge,
            maxResumes: 2,
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('only ever throws MrtdError when a real chip has some answers corrupted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 30 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
          maxLength: 3,
        }),
        async (corruptions) => {
          const chip = createVirtualChip(doc);
          const inner = new MemoryTransport(chip);
          let n = 0;
          const transport = {
            maxResponseLength: 65536,
            async transmit(command: Uint8Array) {
              const r = await inner.transmit(command);
              const k = n++;
              for (const [at, pos, value, truncate] of corruptions) {
                if (at !== k || r.length === 0) continue;
                if (truncate) return r.slice(0, pos % r.length);
                r[pos % r.length] = value;
              }
              return r;
            },
          };
          await mustEndTyped(
            readDocument({
              transport,
              password: { kind: 'mrz', mrzInformation: doc.chip.mrzInformation },
              activeAuthenticationChallenge: challenge,
            }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a chip that never stops sending data cannot keep the reader reading', async () => {
    const transport = {
      maxResponseLength: 65536,
      async transmit() {
        // A TLV header claiming 16 MB for every file.
        return Uint8Array.of(0x60, 0x84, 0x01, 0x00, 0x00, 0x00, 0x90, 0x00);
      },
    };
    await assert.rejects(
      readDocument({ transport, password: { kind: 'mrz', mrzInformation: 'T12345678<9900101<301231' } }),
      (e: unknown) => e instanceof MrtdError,
    );
  });
});
