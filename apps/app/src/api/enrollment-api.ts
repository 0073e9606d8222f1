// The enrollment API of journey A (docs/enrollment.md): start a flow, take its steps, read the terms.
import type { Locale } from '../i18n.ts';
import { requestJson } from './request-json.ts';

export interface FlowView {
  readonly id: string;
  readonly state: string;
  readonly version: number;
  readonly expiresAt: number;
}

export interface StepAnswer<O = Record<string, unknown>> {
  readonly flow: FlowView;
  readonly output: O;
}

export interface TermsTexts {
  readonly terms: string;
  readonly privacy: string;
  readonly termsVersion: string;
  readonly privacyVersion: string;
}

export interface MrzKeys {
  readonly documentNumber: string;
  readonly dateOfBirth: string;
  readonly dateOfExpiry: string;
}

export interface EnrollmentApi {
  start(locale: Locale): Promise<FlowView>;
  step<O = Record<string, unknown>>(flowId: string, event: string, body: unknown): Promise<StepAnswer<O>>;
  terms(locale: Locale): Promise<TermsTexts>;
}

export function enrollmentApi(
  options: { base?: string; onRetry?: (attempt: number) => void } = {},
): EnrollmentApi {
  const base = options.base ?? '';
  const retry = options.onRetry ? { onRetry: options.onRetry } : {};
  return {
    start: (locale) =>
      requestJson<FlowView>(`${base}/v1/enrollments`, {
        method: 'POST',
        body: { locale, startedBy: { kind: 'fresh-install', id: null } },
        // Starting is not idempotent (each call makes a flow): no retries.
        retries: 0,
      }),
    step: (flowId, event, body) =>
      requestJson(`${base}/v1/enrollments/${encodeURIComponent(flowId)}/steps/${encodeURIComponent(event)}`, {
        method: 'POST',
        body,
        ...retry,
      }),
    terms: (locale) => requestJson<TermsTexts>(`${base}/v1/enrollment/terms?locale=${locale}`, retry),
  };
}
