// Checks a one-time code typed from a code display or read aloud by a code reader, and records the
// outcome on the device by compare-and-set: the accepted time step, the wrong-code count, the block.
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { decideOtpAttempt, otpError } from './otp-decision.ts';
import type { TokenChange, TokenModel, TokenRepository, TokenRow } from './token-repository.ts';
import { matchingSteps, type TotpAlgorithm } from './totp.ts';

/** HKDF purpose of the sealed TOTP secrets; the serial is the associated data. */
export const TOKEN_SECRET_PURPOSE = 'token-secret';

export interface TokenCodeDeps {
  readonly tokens: TokenRepository;
  readonly secretBox: SecretBox;
}

export type CodeAttempt =
  | { readonly ok: true; readonly token: TokenRow; readonly counter: number }
  | { readonly ok: false; readonly error: ServerError };

export function sealTokenSecret(secretBox: SecretBox, serial: string, secret: Uint8Array): string {
  return secretBox.seal(TOKEN_SECRET_PURPOSE, Buffer.from(secret).toString('hex'), serial);
}

export function openTokenSecret(
  secretBox: SecretBox,
  token: Pick<TokenRow, 'serial' | 'secretSealed'>,
): Uint8Array {
  return new Uint8Array(
    Buffer.from(secretBox.open(TOKEN_SECRET_PURPOSE, token.secretSealed, token.serial), 'hex'),
  );
}

export function totpParams(secretBox: SecretBox, token: TokenRow) {
  return {
    secret: openTokenSecret(secretBox, token),
    digits: token.digits,
    periodSeconds: token.periodSeconds,
    algorithm: token.algorithm.replace(/^totp-/, '').toUpperCase() as TotpAlgorithm,
  };
}

export function tokenNotFound(): ServerError {
  return new ServerError('ERR_TOKEN_NOT_FOUND', 'no such code display', {
    status: 404,
    messageId: 'error.token.notFound',
  });
}

const MAX_RACES = 5;

/**
 * One attempt of `code` on the device `serial`. Expected failures (wrong, replayed, blocked) are
 * returned, not thrown, after their state is written, so a caller inside a transaction can commit them.
 * `accept` is applied together with an acceptance (activation binds the device in the same write);
 * `eligible` says which devices may be used at all (e.g. only the identity's active one, for login).
 */
export async function attemptTokenCode(
  deps: TokenCodeDeps,
  input: {
    serial: string;
    code: string;
    now: number;
    accept?: TokenChange;
    eligible?: (token: TokenRow) => boolean;
  },
): Promise<CodeAttempt> {
  for (let race = 0; race < MAX_RACES; race++) {
    const token = await deps.tokens.get(input.serial);
    if (!token) return { ok: false, error: tokenNotFound() };
    if (
      input.activeFor !== undefined &&
      (token.status !== 'active' || token.identityId !== input.activeFor)
    ) {
      return { ok: false, error: tokenNotFound() };
    }
    if (token.status === 'revoked') {
      return {
        ok: false,
        error: new ServerError('ERR_TOKEN_UNAVAILABLE', 'this device cannot be used here', {
          status: 409,
          messageId: 'error.token.unavailable',
        }),
      };
    }
    const matches = matchingSteps(totpParams(deps.secretBox, token), input.code, input.now);
    const d = decideOtpAttempt(token, { matches, now: input.now });
    if (d.outcome === 'accepted') {
      const written = await deps.tokens.update(token.serial, token.version, { ...d.next, ...input.accept });
      if (written) return { ok: true, token, counter: d.counter };
      continue; // another request changed the device: decide again on its new state
    }
    if (d.outcome === 'replayed' || d.next === undefined) return { ok: false, error: otpError(d, input.now) };
    if (await deps.tokens.update(token.serial, token.version, d.next)) {
      return { ok: false, error: otpError(d, input.now) };
    }
  }
  throw new ServerError('ERR_CONFLICT', 'the code display is busy; try again', { status: 409 });
}

/** For login (journey D): the code of the identity's active device of `model`; throws when refused. */
export async function verifyIdentityCode(
  deps: { store: Store; secretBox: SecretBox },
  input: { identityId: string; model: TokenModel; code: string; now: number },
): Promise<{ serial: string; counter: number }> {
  const token = await deps.store.tokens.active(input.identityId, input.model);
  if (!token) throw tokenNotFound();
  const r = await attemptTokenCode(
    { tokens: deps.store.tokens, secretBox: deps.secretBox },
    {
      serial: token.serial,
      code: input.code,
      now: input.now,
      eligible: (t) => t.status === 'active' && t.identityId === input.identityId,
    },
  );
  if (!r.ok) throw r.error;
  return { serial: token.serial, counter: r.counter };
}
