// What the app authenticator needs from the running server, injected (tests pass their own clock, SMS
// outbox, push sender and WebAuthn origins).
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Clock } from '../http/app.ts';
import type { SmsGateway } from '../sms/sms-gateway.ts';
import type { Store } from '../store/store.ts';
import type { Notifier } from './notifier.ts';
import type { ProximityChannel } from './proximity-channel.ts';

/** WebAuthn relying party (W3C WebAuthn Level 3 §5.1.1 rp, §7.1 step 9 origins). */
export interface WebauthnSettings {
  readonly rpId: string;
  readonly rpName: string;
  /** Origins allowed in clientDataJSON: the server's own, and the PWA's if it is served elsewhere. */
  readonly origins: readonly string[];
}

export function webauthnSettingsFor(
  publicUrl: string,
  extraOrigins: readonly string[] = [],
): WebauthnSettings {
  const url = new URL(publicUrl);
  return { rpId: url.hostname, rpName: 'Tillid', origins: [url.origin, ...extraOrigins] };
}

export interface AppAuthenticatorDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly hmacKey: Uint8Array;
  readonly sms: SmsGateway;
  readonly notifier: Notifier;
  readonly webauthn: WebauthnSettings;
  readonly proximity: ProximityChannel;
  readonly clock: Clock;
}
