// The enrollment flow's states, its private data (sealed in the flow record: it holds PII), and the
// dependencies its transitions use. Journey A of DESIGN.md §1 (the seed's steps 1-13).
import type { AssuranceLevel } from '@tillid/core';
import type { TrustStore } from '@tillid/mrtd/node';
import type { FaceMatcher, LivenessChallenge, LivenessCheck, MrzReader } from '@tillid/vision';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Transition, TransitionEnv, TransitionResult } from '../flows/flow-definition.ts';
import type { PopulationRegister } from '../register/population-register.ts';
import type { SmsGateway } from '../sms/sms-gateway.ts';
import type { Store } from '../store/store.ts';
import type { CountryPolicy, DocumentType } from './country-policy.ts';
import type { Locale } from './terms.ts';

export const ENROLLMENT_STATES = [
  'started',
  'document-type-chosen',
  'terms-accepted',
  'country-chosen',
  'person-referenced',
  'mrz-given',
  'chip-verified',
  'face-challenge-issued',
  'face-verified',
  'user-id-chosen',
  'phone-given',
  'phone-verified',
  'completed',
] as const;

export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

export type Authenticator = 'app' | 'code-display' | 'code-reader' | 'chip';

export interface VerifiedPerson {
  readonly surname: string;
  readonly givenNames: string;
  /** ISO date */
  readonly birthDate: string;
  readonly nationality: string;
  readonly sex: 'M' | 'F' | 'X';
}

export interface VerifiedDocument {
  readonly type: DocumentType;
  readonly country: string;
  readonly number: string;
  /** ISO date */
  readonly expiry: string;
}

/** Everything the flow knows; sealed at rest (AES-GCM, bound to the flow id). */
export interface EnrollmentData {
  readonly startedBy: { readonly kind: 'app-instance' | 'fresh-install'; readonly id: string | null };
  readonly locale: Locale;
  readonly documentType?: DocumentType;
  readonly consent?: { readonly termsVersion: string; readonly privacyVersion: string; readonly at: number };
  readonly country?: string;
  readonly reference?:
    | { readonly kind: 'cpr'; readonly cpr: string }
    | { readonly kind: 'pcode'; readonly pcodeId: string; readonly pcodeVersion: number };
  readonly mrz?: {
    readonly documentNumber: string;
    readonly dateOfBirth: string;
    readonly dateOfExpiry: string;
  };
  /** Hex: the Active Authentication challenge this server chose for this flow. */
  readonly aaChallenge?: string;
  readonly person?: VerifiedPerson;
  readonly document?: VerifiedDocument;
  /** The chip portrait, kept only until the face decision is recorded. */
  readonly portrait?: { readonly image: string; readonly sha256: string };
  readonly liveness?: LivenessChallenge;
  readonly evidence?: Record<string, unknown>;
  readonly userId?: { readonly canonical: string };
  readonly phone?: { readonly e164: string; readonly codeHash: string; readonly sentAt: number };
  readonly phoneVerified?: boolean;
  readonly identityId?: string;
  readonly assurance?: AssuranceLevel;
}

export interface EnrollmentContext {
  readonly sealed: string;
}

export interface VisionPorts {
  readonly faceMatcher: FaceMatcher;
  readonly liveness: LivenessCheck;
  readonly mrz?: MrzReader;
  readonly faceThreshold: number;
}

export interface EnrollmentDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly trustStore: TrustStore;
  readonly countryPolicy: CountryPolicy;
  readonly register: PopulationRegister;
  readonly sms: SmsGateway;
  /** Face, liveness and MRZ OCR; undefined when the server runs without vision (face steps then fail clearly). */
  readonly vision: VisionPorts | undefined;
  readonly random: (n: number) => Uint8Array;
}

const SEAL_PURPOSE = 'enrollment-flow';

export function sealData(box: SecretBox, flowId: string, data: EnrollmentData): EnrollmentContext {
  return { sealed: box.seal(SEAL_PURPOSE, JSON.stringify(data), flowId) };
}

export function openData(box: SecretBox, flowId: string, ctx: EnrollmentContext): EnrollmentData {
  return JSON.parse(box.open(SEAL_PURPOSE, ctx.sealed, flowId)) as EnrollmentData;
}

export type EnrollmentTransition = Transition<EnrollmentState, EnrollmentContext, EnrollmentDeps>;

/**
 * Declares a transition over the clear EnrollmentData: the wrapper opens the sealed context before
 * `apply` and seals what it returns, so no step can forget to.
 */
export function step<I, O>(def: {
  event: string;
  from: readonly EnrollmentState[];
  to: readonly EnrollmentState[];
  input: Transition<EnrollmentState, EnrollmentContext, EnrollmentDeps, I, O>['input'];
  apply(
    data: EnrollmentData,
    input: I,
    env: TransitionEnv<EnrollmentDeps>,
  ): Promise<
    Omit<TransitionResult<EnrollmentState, EnrollmentData, O>, 'context'> & { data: EnrollmentData }
  >;
}): EnrollmentTransition {
  return {
    event: def.event,
    from: def.from,
    to: def.to,
    input: def.input,
    apply: async (ctx, input, env) => {
      const { data, ...rest } = await def.apply(
        openData(env.deps.secretBox, env.flowId, ctx),
        input as I,
        env,
      );
      return { ...rest, context: sealData(env.deps.secretBox, env.flowId, data) };
    },
  };
}

/** A step that needs data an earlier step must have set: a broken invariant, not a user error. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ServerError('ERR_INTERNAL', `enrollment data lacks ${what}`);
  return value;
}
