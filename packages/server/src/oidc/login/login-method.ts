// The seam every login method plugs into (DESIGN §1 D): after the user-ID step, the browser picks a
// method (app approval, code display/reader + password, chip + password, or the development test login)
// and drives it step by step. A method only reports what it verified; the login layer decides the `acr`,
// and only a request from the browser that started the login can turn the outcome into a code (§3.1).
import type { AuthFactor } from '@tillid/core';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface LoginContext {
  /**
   * This login's own id: safe to show to other parties (QR payloads, the app's approval screen); unlike the
   * provider's interaction uid, it cannot be used to drive the browser's side of the login.
   */
  readonly loginId: string;
  readonly clientId: string;
  /** The service's name as registered (what the app shows the person). */
  readonly clientName: string;
  readonly scopes: readonly string[];
  /**
   * The identity the user-ID named, or undefined for an unknown user-ID. A method must then behave exactly
   * as for a known one (same views, same timing class) and fail only where a real attempt would, so the
   * login never tells whether a user-ID exists (DESIGN §3.3).
   */
  readonly identityId: string | undefined;
  /** Epoch ms. */
  readonly now: number;
  /** The request's source (IP or IPv6 /64), for a method's own throttles. */
  readonly source: string;
}

export type MethodOutcome =
  /** Waiting for more input (or for the app); `view` goes to the browser, `state` stays on the server. */
  | {
      readonly kind: 'pending';
      readonly state: JsonValue;
      readonly view: { readonly [key: string]: JsonValue };
    }
  | {
      readonly kind: 'authenticated';
      readonly identityId: string;
      /** The factors the server itself verified, for `acr` and `amr`. */
      readonly factors: readonly AuthFactor[];
    }
  /** This method failed for this login; the browser may choose a method again. */
  | { readonly kind: 'failed'; readonly messageId: string };

export interface LoginMethod {
  /** Stable id on the wire: `app`, `code-display`, `chip`, `dev-test-identity`. */
  readonly id: string;
  /** Message id of the method's name, for the browser to translate. */
  readonly messageId: string;
  start(ctx: LoginContext): Promise<MethodOutcome>;
  /**
   * One step from the browser that started the login (a typed code, a WebAuthn response, or a poll while
   * the app decides). `state` is what the previous outcome kept; `input` is untrusted and must be parsed.
   */
  step(ctx: LoginContext, state: JsonValue, input: unknown): Promise<MethodOutcome>;
}
