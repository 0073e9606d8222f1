// Activation codes: one per authenticator, blocked after 3 wrong entries (DESIGN.md §2). The issuer
// chooses the code's format and delivery; this module only decides attempts.

import {
  type AttemptInput,
  type AttemptPolicy,
  decideSecretAttempt,
  type FailedOutcome,
  type SecretAttemptDecision,
  type SecretState,
} from '../lib/attempt-decision.ts';

/** No time limit by default: a letter may take days. Issuers wanting one pass `validityMs`. */
export const ACTIVATION_CODE_POLICY = Object.freeze({
  maxAttempts: 3,
  validityMs: undefined,
} as const satisfies AttemptPolicy);

export type ActivationCodeState = SecretState;

export type ActivationCodeAttemptErrorCode =
  | 'ERR_ACTIVATION_CODE_WRONG'
  | 'ERR_ACTIVATION_CODE_EXPIRED'
  | 'ERR_ACTIVATION_CODE_BLOCKED'
  | 'ERR_ACTIVATION_CODE_USED';

export type ActivationCodeAttemptDecision = SecretAttemptDecision<ActivationCodeAttemptErrorCode>;

const OUTCOME_CODE = {
  wrong: 'ERR_ACTIVATION_CODE_WRONG',
  expired: 'ERR_ACTIVATION_CODE_EXPIRED',
  exhausted: 'ERR_ACTIVATION_CODE_BLOCKED',
  used: 'ERR_ACTIVATION_CODE_USED',
} as const satisfies Record<FailedOutcome, ActivationCodeAttemptErrorCode>;

export interface ActivationCodeAttemptInput extends AttemptInput {
  /** Optional time limit set by the issuer (ms after issue). */
  readonly validityMs?: number;
}

/** Decides one attempt at an activation code; same contract as decidePcodeAttempt. */
export function decideActivationCodeAttempt(
  state: ActivationCodeState,
  input: ActivationCodeAttemptInput,
): ActivationCodeAttemptDecision {
  const policy: AttemptPolicy = {
    maxAttempts: ACTIVATION_CODE_POLICY.maxAttempts,
    validityMs: input.validityMs,
  };
  return decideSecretAttempt(policy, OUTCOME_CODE, state, input);
}
