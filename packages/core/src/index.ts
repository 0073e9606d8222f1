// @tillid/core: the domain rules of Tillid (DESIGN.md §2), assurance levels, the package's error
// class and Result type, and the message catalog. Pure: no network or database I/O.

export { APP_SIGNED_HEADERS, APP_STATEMENTS } from './app-statements.ts';
export {
  type AssuranceLevel,
  type AuthFactor,
  acrFor,
  assuranceLevel,
  authenticationStrength,
  EIDAS_LOA_URIS,
  levelFromAcr,
  meetsLevel,
  minLevel,
  NSIS_LOA_URIS,
  type ProofingEvidence,
  proofingLevel,
} from './assurance.ts';
export {
  CORE_ERROR_CODES,
  CoreError,
  type CoreErrorCode,
  type CoreErrorSpec,
  type CoreMessageId,
  coreErrorSpec,
  isCoreError,
} from './errors.ts';
export type {
  AttemptDecision,
  AttemptInput,
  AttemptOutcome,
  AttemptPolicy,
  FailedOutcome,
  SecretAttemptDecision,
  SecretState,
} from './lib/attempt-decision.ts';
export { constantTimeEqual } from './lib/constant-time.ts';
export { type RandomFill, randomDigits } from './lib/numeric-code.ts';
export { CORE_MESSAGES, coreMessage, LOCALES, type Locale } from './messages/catalog.ts';
export {
  type Err,
  fail,
  type Ok,
  ok,
  type Result,
  type RuleError,
  ruleError,
  toCoreError,
  unwrap,
} from './result.ts';
export {
  ACTIVATION_CODE_POLICY,
  type ActivationCodeAttemptDecision,
  type ActivationCodeAttemptErrorCode,
  type ActivationCodeAttemptInput,
  type ActivationCodeState,
  decideActivationCodeAttempt,
} from './rules/activation-code.ts';
export {
  type Cpr,
  type CprError,
  cprBirthYear,
  cprPassesModulus11,
  daysInMonth,
  formatCpr,
  isCpr,
  isLeapYear,
  type ParseCprOptions,
  parseCpr,
} from './rules/cpr.ts';
export {
  normalisePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MAX_SEQUENCE,
  PASSWORD_MIN_LENGTH,
  type PasswordErrorCode,
  type PasswordOptions,
  passwordsMatch,
  type ValidPassword,
  validateNewPassword,
  validatePassword,
} from './rules/password.ts';
export { type PasswordStrength, passwordStrength, passwordStrengthBits } from './rules/password-strength.ts';
export {
  decidePcodeAttempt,
  generatePcode,
  PCODE_POLICY,
  type PcodeAttemptDecision,
  type PcodeAttemptErrorCode,
  type PcodeState,
  parsePcode,
} from './rules/pcode.ts';
export {
  type MobileNumber,
  type PhoneErrorCode,
  parseMobileNumber,
} from './rules/phone.ts';
export {
  PIN_LENGTH,
  type PinOptions,
  pinsMatch,
  type TrivialPinReason,
  trivialPinReason,
  validateNewPin,
  validatePin,
} from './rules/pin.ts';
export {
  decideTemporaryPinAttempt,
  generateTemporaryPin,
  mayTemporaryPinBeSent,
  parseTemporaryPin,
  TEMPORARY_PIN_POLICY,
  type TemporaryPinAttemptDecision,
  type TemporaryPinAttemptErrorCode,
  type TemporaryPinSendInput,
  type TemporaryPinState,
} from './rules/temporary-pin.ts';
export {
  parseUserId,
  USER_ID_MAX_LENGTH,
  USER_ID_MIN_LENGTH,
  type UserId,
  type UserIdErrorCode,
} from './rules/user-id.ts';
