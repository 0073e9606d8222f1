// The enrollment flow (journey A): its transition table. docs/enrollment-flow.md draws it (a test keeps
// the drawing current).
import type { FlowDefinition } from '../flows/flow-definition.ts';
import {
  ENROLLMENT_STATES,
  type EnrollmentContext,
  type EnrollmentDeps,
  type EnrollmentState,
} from './enrollment-context.ts';
import { authenticatorChosen } from './events/authenticator-chosen.ts';
import { chipEvidenceSubmitted } from './events/chip-evidence-submitted.ts';
import { countryChosen } from './events/country-chosen.ts';
import { documentTypeChosen } from './events/document-type-chosen.ts';
import { faceChallengeRequested, faceEvidenceSubmitted } from './events/face-steps.ts';
import { mrzGiven } from './events/mrz-given.ts';
import { personReferenced } from './events/person-referenced.ts';
import { phoneGiven, phoneVerified } from './events/phone-steps.ts';
import { termsAccepted } from './events/terms-accepted.ts';
import { userIdChosen } from './events/user-id-chosen.ts';

/** An activation with a helper takes a while; 30 minutes of inactivity ends it. */
export const ENROLLMENT_TTL_MS = 30 * 60 * 1000;

export const enrollmentFlow: FlowDefinition<EnrollmentState, EnrollmentContext, EnrollmentDeps> = {
  kind: 'enrollment',
  states: ENROLLMENT_STATES,
  initial: 'started',
  final: ['completed'],
  ttlMs: ENROLLMENT_TTL_MS,
  transitions: [
    documentTypeChosen,
    termsAccepted,
    countryChosen,
    personReferenced,
    mrzGiven,
    chipEvidenceSubmitted,
    faceChallengeRequested,
    faceEvidenceSubmitted,
    userIdChosen,
    phoneGiven,
    phoneVerified,
    authenticatorChosen,
  ],
};
