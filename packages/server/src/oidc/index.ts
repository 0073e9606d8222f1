// The OpenID Connect provider of Tillid: registerOidc for the app, the login-method seam, clients and keys.
export { amrFor, CPR_CLAIM, loginLevel, pairwiseSubject, SCOPE_CLAIMS } from './claims.ts';
export {
  type ClientInput,
  type ClientMetadata,
  generateClientSecret,
  loadClientsFile,
  OidcClientRepository,
  parseClient,
} from './clients.ts';
export {
  DEFAULT_TEST_IDENTITY,
  type IdentityClaims,
  type IdentityDirectory,
  storeIdentityDirectory,
  type TestIdentity,
  withTestIdentity,
} from './identity-directory.ts';
export { deleteExpiredOidcPayloads, KyselyAdapter } from './kysely-adapter.ts';
export { DEV_TEST_IDENTITY_METHOD_ID, devTestIdentityMethod } from './login/dev-test-identity-method.ts';
export {
  FlowInteractionStore,
  type InteractionStore,
  type LoginRecord,
  loginIdFor,
} from './login/interaction-store.ts';
export type { JsonValue, LoginContext, LoginMethod, MethodOutcome } from './login/login-method.ts';
export type { LoginPageProvider } from './login/login-routes.ts';
export { DEFAULT_USER_ID_THROTTLE, submitUserId, throttleSource } from './login/user-id-step.ts';
export { loadOidcSettings, OIDC_VARIABLES, type OidcSettings } from './oidc-settings.ts';
export { LOGIN_PATH, OidcProviderHost } from './provider.ts';
export { OIDC_PATH, type OidcDeps, type OidcHandle, registerOidc } from './register-oidc.ts';
export {
  DEFAULT_RETIRE_AFTER_MS,
  deleteRetiredSigningKeys,
  ensureSigningKey,
  listSigningKeys,
  rotateSigningKey,
} from './signing-keys.ts';
