// Test support (not exported): loads the ICAO 9303-11 / gmrtd vectors and replays recorded APDU traces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CardTransport } from '../apdu/apdu.ts';
import { fromHex, toHex } from '../bytes.ts';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read loosely in tests
export type Vector = any;

export function loadVector(id: string): Vector {
  const url = new URL('../../test/fixtures/vectors/icao9303-11.json', import.meta.url);
  const json = JSON.parse(readFileSync(url, 'utf8')) as { entries: { id: string }[] };
  const entry = json.entries.find((e) => e.id === id);
  if (!entry) assert.fail(`no vector ${id}`);
  return entry;
}

/** A transport that expects exactly the recorded commands, in order, and answers the recorded responses. */
export function replayTransport(apdus: readonly { command: string; response: string }[]): CardTransport & {
  readonly remaining: number;
} {
  let i = 0;
  return {
    async transmit(command: Uint8Array): Promise<Uint8Array> {
      const step = apdus[i++];
      assert.ok(step, `unexpected extra command ${toHex(command)}`);
      assert.equal(toHex(command), step.command.toUpperCase(), `command ${i}`);
      return fromHex(step.response);
    },
    get remaining() {
      return apdus.length - i;
    },
  };
}

/** A random source that hands out the given byte strings in order. */
export function scriptedRandom(...values: string[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const v = values[i++];
    assert.ok(v !== undefined, 'scripted random exhausted');
    const bytes = fromHex(v);
    assert.equal(bytes.length, n, `scripted random value ${i} has the wrong length`);
    return bytes;
  };
}
