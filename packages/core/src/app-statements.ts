// What a Tillid app instance signs with its device key (docs/app-authenticator.md "Signed requests"), shared
// by the app that signs and the server that checks, so the two cannot drift apart. Each statement has its own
// prefix, so no signature counts for another purpose.

export const APP_STATEMENTS = {
  request: (method: string, path: string, signedAt: number, bodySha256: string) =>
    `tillid/app-request\u0000${method}\u0000${path}\u0000${signedAt}\u0000${bodySha256}`,
  activation: (transferId: string, instanceId: string) =>
    `tillid/app-activation\u0000${transferId}\u0000${instanceId}`,
  proximity: (transferId: string, ephemeralThumbprint: string) =>
    `tillid/app-proximity\u0000${transferId}\u0000${ephemeralThumbprint}`,
  approval: (input: {
    loginId: string;
    challenge: string;
    clientId: string;
    scopes: readonly string[];
    decision: 'approve' | 'reject';
  }) =>
    `tillid/app-approval\u0000${input.loginId}\u0000${input.challenge}\u0000${input.clientId}\u0000${input.scopes.join(' ')}\u0000${input.decision}`,
} as const;

/** The headers of a signed request. */
export const APP_SIGNED_HEADERS = {
  instance: 'tillid-instance',
  signedAt: 'tillid-signed-at',
  signature: 'tillid-signature',
} as const;
