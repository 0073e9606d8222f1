import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decideOtpAttempt } from './otp-decision.ts';
import { codeAt, codeNow, matchingSteps, TOTP_POLICY, type TotpAlgorithm, timeStep } from './totp.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
// RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's output length.
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

/** RFC 6238 Appendix B, Table "Test Vectors": time (s) → 8-digit TOTP per hash. */
const RFC6238: ReadonlyArray<[number, Record<TotpAlgorithm, string>]> = [
  [59, { SHA1: '94287082', SHA256: '46119246', SHA512: '90693936' }],
  [1111111109, { SHA1: '07081804', SHA256: '68084774', SHA512: '25091201' }],
  [1111111111, { SHA1: '14050471', SHA256: '67062674', SHA512: '99943326' }],
  [1234567890, { SHA1: '89005924', SHA256: '91819424', SHA512: '93441116' }],
  [2000000000, { SHA1: '69279037', SHA256: '90698825', SHA512: '38618901' }],
  [20000000000, { SHA1: '65353130', SHA256: '77737706', SHA512: '47863826' }],
];

/** RFC 4226 Appendix D: HOTP values for counts 0-9 with the secret "12345678901234567890". */
const RFC4226 = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

describe('TOTP codes (RFC 6238 over RFC 4226)', () => {
  it('RFC 4226 Appendix D: HOTP, 6 digits, counts 0-9', () => {
    RFC4226.forEach((code, count) => {
      assert.equal(codeAt({ secret: SEEDS.SHA1 }, count), code);
    });
  });

  it('RFC 6238 Appendix B: 8-digit codes for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, codes] of RFC6238) {
      for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
        const { code } = codeNow({ secret: SEEDS[algorithm], algorithm, digits: 8 }, seconds * 1000);
        assert.equal(code, codes[algorithm], `${algorithm} at T=${seconds}`);
      }
    }
  });

  it('RFC 6238 Appendix B adapted to our 6 digits: the same truncation, mod 10^6', () => {
    for (const [seconds, codes] of RFC6238) {
      assert.equal(codeNow({ secret: SEEDS.SHA1 }, seconds * 1000).code, codes.SHA1.slice(2));
    }
  });

  it('time steps are 30 s from the Unix epoch (RFC 6238 §4.2)', () => {
    assert.equal(timeStep(59_000), 1);
    assert.equal(timeStep(1111111109_000), 37037036);
    assert.equal(timeStep(29_999), 0);
    assert.equal(timeStep(30_000), 1);
    assert.equal(codeNow({ secret: SEEDS.SHA1 }, 59_000).validForMs, 1_000);
  });

  it('matches the current step and one step either side, no further', () => {
    const p = { secret: SEEDS.SHA1 };
    const now = 1111111111_000;
    const step = timeStep(now);
    for (const d of [-1, 0, 1]) assert.deepEqual(matchingSteps(p, codeAt(p, step + d), now), [step + d]);
    for (const d of [-3, -2, 2, 3]) assert.deepEqual(matchingSteps(p, codeAt(p, step + d), now), []);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', ' 14050']) {
      assert.deepEqual(matchingSteps(p, bad, now), []);
    }
  });
});

describe('decideOtpAttempt', () => {
  const fresh = { lastCounter: null, failedAttempts: 0, blockedUntil: null };

  it('accepts a code once: its step becomes the last accepted one', () => {
    const d = decideOtpAttempt(fresh, { matches: [100], now: 0 });
    assert.equal(d.outcome, 'accepted');
    if (d.outcome !== 'accepted') return;
    assert.deepEqual(d.next, { lastCounter: 100, failedAttempts: 0, blockedUntil: null });
    assert.equal(decideOtpAttempt(d.next, { matches: [100], now: 0 }).outcome, 'replayed');
    assert.equal(decideOtpAttempt(d.next, { matches: [99], now: 0 }).outcome, 'replayed');
    assert.equal(decideOtpAttempt(d.next, { matches: [101], now: 0 }).outcome, 'accepted');
  });

  it('blocks for 5 minutes at the 3rd wrong code, refusing even right codes meanwhile', () => {
    let s = fresh as { lastCounter: number | null; failedAttempts: number; blockedUntil: number | null };
    const a = decideOtpAttempt(s, { matches: [], now: 1000 });
    assert.deepEqual(a.outcome === 'wrong' && a.attemptsLeft, 2);
    s = a.outcome === 'wrong' ? a.next : s;
    const b = decideOtpAttempt(s, { matches: [], now: 1000 });
    assert.deepEqual(b.outcome === 'wrong' && b.attemptsLeft, 1);
    s = b.outcome === 'wrong' ? b.next : s;
    const c = decideOtpAttempt(s, { matches: [], now: 1000 });
    assert.equal(c.outcome, 'blocked');
    assert.ok(c.outcome === 'blocked' && c.next);
    s = c.outcome === 'blocked' && c.next ? c.next : s;
    assert.equal(s.blockedUntil, 1000 + TOTP_POLICY.blockMs);
    assert.equal(
      decideOtpAttempt(s, { matches: [5], now: 1000 + TOTP_POLICY.blockMs - 1 }).outcome,
      'blocked',
    );
    assert.equal(decideOtpAttempt(s, { matches: [5], now: 1000 + TOTP_POLICY.blockMs }).outcome, 'accepted');
  });

  it('never accepts a step at or below the last accepted one (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 3 }),
        (last, matches) => {
          const d = decideOtpAttempt(
            { lastCounter: last, failedAttempts: 0, blockedUntil: null },
            { matches, now: 0 },
          );
          if (d.outcome === 'accepted') assert.ok(d.counter > last && matches.includes(d.counter));
          else assert.ok(matches.every((m) => m <= last));
        },
      ),
      { numRuns: 300 },
    );
  });
});
