// The app's texts: the same keys in Danish, English and Greenlandic, the same placeholders, every key the
// code uses present, and a text for every message ID the enrollment server answers with.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CORE_MESSAGES } from '@tillid/core';
import { ERROR_ADVICE } from '../src/api/error-advice.ts';
import { TEXTS } from '../src/locales/index.ts';

const { da, en, kl } = TEXTS;
const LOCALES = { da, en, kl } as const;
const placeholders = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort().join(',');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(name) && !full.includes(`${join('src', 'locales')}`)) out.push(full);
  }
  return out;
}

describe('app locales', () => {
  it('have the same keys in every language', () => {
    const reference = Object.keys(en).sort();
    for (const [locale, texts] of Object.entries(LOCALES)) {
      assert.deepEqual(Object.keys(texts).sort(), reference, locale);
    }
  });

  it('have no empty or untrimmed texts, and the same placeholders and numbers everywhere', () => {
    for (const [locale, texts] of Object.entries(LOCALES)) {
      for (const [key, text] of Object.entries(texts)) {
        assert.ok(text.trim().length > 0, `${locale} ${key} is empty`);
        assert.equal(text, text.trim(), `${locale} ${key} is untrimmed`);
        assert.equal(
          placeholders(text),
          placeholders(en[key as keyof typeof en]),
          `${locale} ${key} placeholders`,
        );
        const digits = (s: string) => (s.match(/\d+/g) ?? []).sort().join(',');
        assert.equal(digits(text), digits(en[key as keyof typeof en]), `${locale} ${key} numbers`);
      }
    }
  });

  it('have every key the code asks for', () => {
    const dir = new URL('../src/', import.meta.url).pathname;
    const missing: string[] = [];
    for (const file of sources(dir)) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bt\('([^']+)'/g)) {
        if (!(m[1]! in en)) missing.push(`${file}: ${m[1]}`);
      }
      // t(`face.step.${pose}`) and similar: each variant must exist.
      for (const m of code.matchAll(/\bt\(`([a-zA-Z.]+)\$\{/g)) {
        assert.ok(
          Object.keys(en).some((k) => k.startsWith(m[1]!)),
          `${file}: no key starts with ${m[1]}`,
        );
      }
    }
    assert.deepEqual(missing, []);
    for (const pose of ['neutral', 'turn-left', 'turn-right', 'look-up', 'move-closer']) {
      assert.ok(`face.step.${pose}` in en, pose);
    }
    for (const device of ['code-display', 'code-reader', 'chip']) assert.ok(`device.${device}` in en, device);
    for (const score of [0, 1, 2, 3, 4]) assert.ok(`strength.${score}` in en, `strength.${score}`);
    for (const kind of ['cpr', 'pcode']) {
      for (const part of ['title', 'label', 'hint']) assert.ok(`${kind}.${part}` in en, `${kind}.${part}`);
    }
  });

  it('translate every message ID the enrollment API answers with', () => {
    const chipCodes = [
      'CHIP_DATA_FORMAT',
      'CHIP_SIGNATURE_INVALID',
      'CHIP_UNTRUSTED_ISSUER',
      'CHIP_CERTIFICATE_INVALID',
      'CHIP_CERTIFICATE_REVOKED',
      'CHIP_DATA_ALTERED',
      'CHIP_CLONE_SUSPECTED',
      'CHIP_UNSUPPORTED',
      'CHIP_MRZ_MISMATCH',
      'DOCUMENT_MISMATCH',
      'DOCUMENT_EXPIRED',
      'CPR_MISMATCH',
      'PCODE_MISMATCH',
    ];
    // packages/vision's error codes, as face-steps.ts turns them into message IDs.
    const visionCodes = [
      'IMAGE_FORMAT',
      'IMAGE_TOO_LARGE',
      'FACE_NONE',
      'FACE_MULTIPLE',
      'FACE_TOO_SMALL',
      'FACE_TOO_DARK',
      'EYES_CLOSED',
      'LOOKING_AWAY',
      'LIVENESS_CHALLENGE',
      'LIVENESS_TOO_FEW_FRAMES',
      'LIVENESS_EXPIRED',
      'LIVENESS_TIMESTAMPS',
      'LIVENESS_SEQUENCE',
      'LIVENESS_FACE_CHANGED',
      'LIVENESS_NOT_MATCHING',
      'LIVENESS_SPOOF',
      'ENGINE_INIT',
      'ENGINE_CLOSED',
      'USAGE',
    ];
    const ids = [
      ...chipCodes.map((c) => `error.${c.toLowerCase().replace(/_/g, '-')}`),
      ...visionCodes.map((c) => `error.face.${c.toLowerCase().replace(/_/g, '-')}`),
      'error.face.mismatch',
      'error.validation',
      'error.badJson',
      'error.payloadTooLarge',
      'error.unsupportedMediaType',
      'error.flow.notFound',
      'error.flow.expired',
      'error.flow.stepOutOfOrder',
      'error.flow.unknownStep',
      'error.terms.outdated',
      'error.country.notAccepted',
      'error.mrz.invalid',
      'error.mrz.notFound',
      'error.vision.unavailable',
      'error.busy',
      'error.userId.taken',
      'error.smsUnavailable',
      'error.registerUnavailable',
      'error.document.invalid',
      // Journey C (packages/server/src/tokens)
      'error.identityRequired',
      'error.token.unavailable',
      'error.token.notFound',
      'error.token.limit',
      'error.otp.wrong',
      'error.otp.replayed',
      'error.otp.blocked',
      'error.order.notFound',
      'error.order.state',
      'error.rateLimited',
      ...Object.keys(CORE_MESSAGES.en),
    ];
    for (const [locale, texts] of Object.entries(LOCALES)) {
      const all = { ...CORE_MESSAGES[locale as keyof typeof LOCALES], ...texts } as Record<string, string>;
      for (const id of ids) assert.ok(all[id], `${locale}: no text for ${id}`);
    }
  });

  it('give advice that exists in every language for every error code', () => {
    for (const [code, advice] of Object.entries(ERROR_ADVICE)) {
      assert.ok(advice.next in en, `${code}: ${advice.next}`);
    }
  });
});
