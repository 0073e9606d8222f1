// The app instance's device key (docs/app-authenticator.md "App instances"): an ECDSA P-256 key pair made
// with WebCrypto, the private half non-extractable, so the key can sign on this phone and never leave it.

/** The public key as the server takes it (`{ jwk }`): only the members RFC 7638 names. */
export interface DevicePublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

const ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh key pair; `extractable: false` covers the private key (a public key is always exportable). */
export async function generateDeviceKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
}

export async function publicJwk(publicKey: CryptoKey): Promise<DevicePublicJwk> {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new TypeError('not an EC public key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** ECDSA-P256-SHA256 over the UTF-8 text; WebCrypto gives r ‖ s (IEEE P1363), which the server accepts. */
export async function signText(privateKey: CryptoKey, text: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    new TextEncoder().encode(text),
  );
  return base64url(new Uint8Array(signature));
}

export async function sha256Base64url(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** A random secret (the transfer claim), 256 bits in base64url. */
export function randomSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
