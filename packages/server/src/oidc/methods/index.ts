// The login methods of the authenticators, for registerOidc({ methods }): app approval, code display, code
// reader and chip. `acr` follows from the factors each reports (@tillid/core assuranceLevel, in the seam).
import type { AppAuthenticatorDeps } from '../../app-authenticator/app-authenticator-deps.ts';
import type { LoginMethod } from '../login/login-method.ts';
import { appApprovalMethod } from './app-approval-method.ts';
import { chipMethod } from './chip-method.ts';
import { codeDeviceMethod } from './code-display-method.ts';
import { passwordFactor } from './password-factor.ts';

export { APP_METHOD_ID, appApprovalMethod } from './app-approval-method.ts';
export { CHIP_METHOD_ID, chipMethod } from './chip-method.ts';
export { codeDeviceMethod } from './code-display-method.ts';
export { FACTOR_THROTTLE, type PasswordFactor, passwordFactor } from './password-factor.ts';

export function createLoginMethods(deps: AppAuthenticatorDeps): LoginMethod[] {
  const password = passwordFactor(deps.store);
  return [
    appApprovalMethod(deps),
    codeDeviceMethod({ store: deps.store, secretBox: deps.secretBox, password, model: 'display' }),
    codeDeviceMethod({ store: deps.store, secretBox: deps.secretBox, password, model: 'reader' }),
    chipMethod({ ...deps, password }),
  ];
}
