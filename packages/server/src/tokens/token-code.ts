// Checks a one-time code typed from a code display or read aloud by a code reader, and records the
// outcome on the device by compare-and-set: the accepted time step, the wrong-code count, the block.
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { decideOtpAttempt, type OtpState, otpError } from './otp-decision.ts';
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

/** An accepted code whose acceptance is still to be written (by the caller, in its own transaction). */
export type CodeJudgement =
  | { readonly ok: true; readonly token: TokenRow; readonly counter: number; readonly next: OtpState }
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

interface AttemptInput {
  readonly serial: string;
  readonly code: string;
  readonly now: number;
  /** Which devices may be used at all (e.g. only the identity's active one, for login). */
  readonly eligible?: (token: TokenRow) => boolean;
}

/**
 * Judges `code` on the device `serial`. A refusal (wrong, replayed, blocked) is written at once by
 * compare-and-set and returned, not thrown; an acceptance is returned with the state to write
 * (`next`), for the caller to apply with `acceptTokenCode`, alone or inside its own transaction.
 */
export async function judgeTokenCode(deps: TokenCodeDeps, input: AttemptInput): Promise<CodeJudgement> {
  for (let race = 0; race < MAX_RACES; race++) {
    const token = await deps.tokens.get(input.serial);
    if (!token) return { ok: false, error: tokenNotFound() };
    if (token.status === 'revoked' || (input.eligible && !input.eligible(token))) {
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
    if (d.outcome === 'accepted') return { ok: true, token, counter: d.counter, next: d.next };
    if (d.outcome === 'replayed' || d.next === undefined) return { ok: false, error: otpError(d, input.now) };
    if (await deps.tokens.update(token.serial, token.version, d.next)) {
      return { ok: false, error: otpError(d, input.now) };
    }
    // Another request changed the device meanwhile: judge again on its new state.
  }
  throw busy();
}

function busy(): ServerError {
  return new ServerError('ERR_CONFLICT', 'the device is busy; try again', { status: 409 });
}

/**
 * Writes an acceptance, with `also` (activation binds the device in the same write). False when
 * another request changed the device since it was judged: the code must then be judged again.
 */
export function acceptTokenCode(
  tokens: TokenRepository,
  judged: Extract<CodeJudgement, { ok: true }>,
  also: TokenChange = {},
): Promise<boolean> {
  return tokens.update(judged.token.serial, judged.token.version, { ...judged.next, ...also });
}

/** Judges and, when accepted, records the code as used; refusals come back as values. */
export async function attemptTokenCode(deps: TokenCodeDeps, input: AttemptInput): Promise<CodeAttempt> {
  for (let race = 0; race < MAX_RACES; race++) {
    const j = await judgeTokenCode(deps, input);
    if (!j.ok) return j;
    if (await acceptTokenCode(deps.tokens, j)) return { ok: true, token: j.token, counter: j.counter };
  }
  throw busy();
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
