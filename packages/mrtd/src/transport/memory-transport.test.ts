import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryTransport } from './memory-transport.ts';

describe('MemoryTransport', () => {
  it('passes APDUs to the card, copies buffers, refuses after close', async () => {
    const seen: Uint8Array[] = [];
    const answer = Uint8Array.of(0x90, 0x00);
    const t = new MemoryTransport({
      handle: (c) => {
        seen.push(c);
        return answer;
      },
    });
    const command = Uint8Array.of(0, 0xa4, 4, 0x0c);
    const r = await t.transmit(command);
    assert.deepEqual(r, answer);
    assert.notEqual(r, answer);
    assert.notEqual(seen[0], command);
    assert.equal(t.maxResponseLength, 65536);
    await t.close();
    await assert.rejects(t.transmit(command), { code: 'ERR_TRANSPORT' });
  });
});
