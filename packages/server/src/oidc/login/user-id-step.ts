// The first step of every login: the user-ID (DESIGN §3.3, MitID's September 2022 incident).
// - throttled per source (default 10 attempts a minute), never per user-ID, so a stranger can slow only
//   themselves and can never lock the real person out;
// - the answer is the same whether or not the user-ID exists: the identity (or null) stays on the server
//   and the method step fails later, exactly where a wrong second factor would.
import { parseUserId } from '@tillid/core';
import { ServerError } from '../../errors.ts';
import type { RateLimitRepository } from '../../store/rate-limit-repository.ts';
import { together } from '../../together.ts';
import type { IdentityDirectory } from '../identity-directory.ts';

export interface UserIdThrottle {
  readonly attempts: number;
  readonly windowMs: number;
}

export const DEFAULT_USER_ID_THROTTLE: UserIdThrottle = Object.freeze({ attempts: 10, windowMs: 60_000 });

export interface UserIdStepDeps {
  readonly rateLimits: RateLimitRepository;
  readonly directory: IdentityDirectory;
  readonly throttle: UserIdThrottle;
}

/**
 * Counts the attempt for `source` (malformed input costs an attempt too) and looks the user-ID up at the same
 * time; a throttled attempt gets the throttle's answer and nothing of the lookup.
 */
export async function submitUserId(
  deps: UserIdStepDeps,
  input: { source: string; userId: string; now: number },
): Promise<{ identityId: string | null }> {
  const parsed = parseUserId(input.userId);
  const [hit, identityId] = await together(
    deps.rateLimits.hit(`oidc-login:user-id:${input.source}`, {
      windowMs: deps.throttle.windowMs,
      now: input.now,
    }),
    parsed.ok ? deps.directory.findByUserId(parsed.value) : undefined,
  );
  if (hit.count > deps.throttle.attempts) {
    throw new ServerError('ERR_RATE_LIMITED', 'too many user-ID attempts from this network; wait a minute', {
      status: 429,
      messageId: 'login.userId.tooManyAttempts',
      details: { retryAfterMs: Math.max(0, hit.resetAt - input.now) },
    });
  }
  if (!parsed.ok) {
    // The user-ID rules are public: saying the input breaks them reveals nothing about who exists.
    throw new ServerError('ERR_LOGIN_USER_ID_INVALID', 'this is not a valid user-ID', {
      status: 400,
      messageId: 'login.userId.invalid',
      details: { rule: parsed.error.code },
    });
  }
  return { identityId: identityId ?? null };
}

/** The throttling source of a request: the client address, or its /64 for IPv6 (one subscriber's block). */
export function throttleSource(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1] as string;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
