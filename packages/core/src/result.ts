// The Result type of expected failures: rule functions return these instead of throwing, and
// callers turn a failure into a CoreError (HTTP status, message ID) only at the edge.

import { CoreError, type CoreErrorCode, type CoreMessageId, coreErrorSpec } from './errors.ts';

export interface RuleError<C extends CoreErrorCode = CoreErrorCode> {
  readonly code: C;
  readonly messageId: CoreMessageId;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E = RuleError> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** The error of a rule failure, its message ID taken from the one code table. */
export function ruleError<C extends CoreErrorCode>(
  code: C,
  details?: Readonly<Record<string, unknown>>,
): RuleError<C> {
  const messageId = coreErrorSpec(code).messageId;
  return details === undefined ? { code, messageId } : { code, messageId, details };
}

export function fail<C extends CoreErrorCode>(
  code: C,
  details?: Readonly<Record<string, unknown>>,
): Err<RuleError<C>> {
  return { ok: false, error: ruleError(code, details) };
}

/** The CoreError (status, expose, message ID) for a rule failure. */
export function toCoreError(error: RuleError): CoreError {
  return new CoreError(
    error.code,
    undefined,
    error.details === undefined ? undefined : { details: error.details },
  );
}

/** The value, or the failure thrown as a CoreError — for callers where a failure is a broken invariant. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw toCoreError(result.error);
}
