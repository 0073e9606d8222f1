// Every message ID the server can answer with has a text in @tillid/core's catalog, in Danish, English and
// Greenlandic, and the catalog holds no server message ID the server no longer sends. The IDs are read from
// the server's source: `messageId: '…'` literals, `error.<CODE>` for a ServerError made without one (outside
// the CLI and start-up configuration, whose errors never reach a client), and the two computed families
// (chip refusals, face checks), enumerated from their code tables.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CORE_ERROR_CODES, CORE_MESSAGES, coreErrorSpec, LOCALES } from '@tillid/core';

const SRC = new URL('../src/', import.meta.url).pathname;
const VISION_ERRORS = new URL('../../vision/src/errors.ts', import.meta.url).pathname;
/** Errors raised only before the server listens. */
const START_UP_CODES = new Set(['ERR_CONFIG', 'ERR_UNSAFE_PRODUCTION_CONFIG']);
/** The files whose message IDs are computed, each enumerated below. */
const COMPUTED = ['enrollment/events/chip-evidence-submitted.ts', 'enrollment/events/face-steps.ts'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'testing') sources(full, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** The text of each `new ServerError(…)` call, parentheses balanced. */
function serverErrorCalls(code: string): string[] {
  const calls: string[] = [];
  for (const m of code.matchAll(/new ServerError\(/g)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const start = i;
    while (depth > 0 && i < code.length) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
      i++;
    }
    calls.push(code.slice(start, i));
  }
  return calls;
}

const kebab = (code: string) => code.slice(4).toLowerCase().replace(/_/g, '-');

function serverMessageIds(): { ids: Set<string>; computedIn: Set<string> } {
  const ids = new Set<string>();
  const computedIn = new Set<string>();
  for (const file of sources(SRC)) {
    const path = relative(SRC, file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/messageId:\s*([^,}\n]+)/g)) {
      const expression = m[1] ?? '';
      if (expression.includes('`')) computedIn.add(path);
      for (const literal of expression.matchAll(/'([^']+)'/g))
        if (literal[1]?.includes('.')) ids.add(literal[1]);
    }
    if (path.startsWith('cli/') || path.startsWith('config/')) continue;
    for (const call of serverErrorCalls(code)) {
      const errorCode = /^\s*'(ERR_[A-Z_]+)'/.exec(call)?.[1];
      if (errorCode && !call.includes('messageId') && !START_UP_CODES.has(errorCode))
        ids.add(`error.${errorCode}`);
    }
  }
  // chip-evidence-submitted.ts: refuse(code) answers `error.<code in kebab case>`.
  const chip = readFileSync(join(SRC, COMPUTED[0] as string), 'utf8');
  for (const m of chip.matchAll(/refuse\(\s*'(ERR_[A-Z_]+)'|:\s*'(ERR_[A-Z_]+)',/g))
    ids.add(`error.${kebab(m[1] ?? m[2] ?? '')}`);
  // face-steps.ts: vision's codes as `error.face.<code>`, except the ones it maps to fixed IDs.
  const mapped = new Set(['ERR_BUSY', 'ERR_ENGINE_FAILED', 'ERR_ENGINE_CLOSED', 'ERR_LIVENESS_NOT_MATCHING']);
  for (const m of readFileSync(VISION_ERRORS, 'utf8').matchAll(/\|\s*'(ERR_[A-Z_]+)'/g))
    if (m[1] && !mapped.has(m[1])) ids.add(`error.face.${kebab(m[1])}`);
  return { ids, computedIn };
}

describe('message catalog of the server', () => {
  const { ids, computedIn } = serverMessageIds();

  it('finds the server message IDs (and knows every computed one)', () => {
    assert.ok(ids.size > 50, `only ${ids.size} found: the scan is broken`);
    assert.ok(
      ids.has('login.otherBrowser') && ids.has('app.transfer.expired') && ids.has('error.face.face-none'),
    );
    assert.deepEqual(
      [...computedIn].sort(),
      [...COMPUTED].sort(),
      'a new computed messageId: enumerate it here',
    );
  });

  it('has a text for every server message ID in every language', () => {
    for (const locale of LOCALES) {
      const catalog = CORE_MESSAGES[locale] as Readonly<Record<string, string>>;
      const missing = [...ids].filter(
        (id) => !(typeof catalog[id] === 'string' && catalog[id].trim() !== ''),
      );
      assert.deepEqual(missing, [], `${locale}: no text for these message IDs`);
    }
  });

  it('holds no server message ID the server no longer sends', () => {
    const core = new Set<string>(CORE_ERROR_CODES.map((c) => coreErrorSpec(c).messageId));
    const stale = Object.keys(CORE_MESSAGES.en).filter((id) => !core.has(id) && !ids.has(id));
    assert.deepEqual(stale, []);
  });
});
