// `tillid tokens import`: adds the devices of a PSKC file to the inventory, all or nothing. Secrets are
// sealed at once; a serial already known with the same secret is left as it is (re-running is harmless).
import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { revealPskcSecrets } from './pskc-decrypt.ts';
import { type PskcKey, parsePskc } from './pskc-parse.ts';
import { openTokenSecret, sealTokenSecret } from './token-code.ts';
import type { TokenModel } from './token-repository.ts';
import { TOTP_POLICY } from './totp.ts';

/** The TOTP algorithm URI of the PSKC algorithm profiles (and the '#' form of earlier drafts). */
export const PSKC_TOTP_URIS: readonly string[] = [
  'urn:ietf:params:xml:ns:keyprov:pskc:totp',
  'urn:ietf:params:xml:ns:keyprov:pskc#totp',
];

const SERIAL = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

export interface ImportTokensInput {
  readonly xml: string;
  /** The pre-shared key of an encrypted container (RFC 6030 §6.1). */
  readonly psk?: Uint8Array;
  readonly model: TokenModel;
  /** Who imports, for the audit log (an operator name). */
  readonly actor: string;
  readonly now: number;
}

export interface ImportTokensResult {
  readonly imported: readonly string[];
  readonly unchanged: readonly string[];
}

/** Serials are printed on the device; people type them with spaces or in lower case. */
export function normaliseSerial(serial: string): string {
  return serial.replace(/[\s]+/g, '').toUpperCase();
}

function unsupported(key: PskcKey, what: string): ServerError {
  return new ServerError('ERR_PSKC_UNSUPPORTED', `key ${key.position} (Id ${key.id}): ${what}`, {
    status: 422,
    messageId: 'error.pskc.unsupported',
    details: { key: key.position, keyId: key.id },
  });
}

/** Our devices: TOTP, 6 decimal digits, 30-second steps from the Unix epoch (DESIGN §2, RFC 6238 §4). */
function checkTotpKey(key: PskcKey, secret: Uint8Array): string {
  if (!PSKC_TOTP_URIS.includes(key.algorithm)) {
    throw new ServerError(
      'ERR_TOKEN_NOT_TOTP',
      `key ${key.position} (Id ${key.id}) uses ${key.algorithm}; only TOTP devices (RFC 6238) are accepted`,
      {
        status: 422,
        messageId: 'error.token.notTotp',
        details: { key: key.position, algorithm: key.algorithm },
      },
    );
  }
  const f = key.responseFormat;
  if (f && (f.length !== TOTP_POLICY.digits || f.encoding !== 'DECIMAL')) {
    throw unsupported(key, `codes of ${f.length} ${f.encoding} characters; 6 DECIMAL are required`);
  }
  if (key.timeInterval !== undefined && key.timeInterval !== TOTP_POLICY.periodSeconds) {
    throw unsupported(key, `a time step of ${key.timeInterval} s; 30 s is required`);
  }
  if (key.time !== undefined && key.time !== 0) throw unsupported(key, `T0 = ${key.time}; 0 is required`);
  // RFC 4226 §4 R6: the shared secret MUST be at least 128 bits.
  if (secret.length < 16 || secret.length > 128) {
    throw unsupported(key, `a ${secret.length * 8}-bit secret; 128 to 1024 bits are required`);
  }
  const serial = normaliseSerial(key.serialNo ?? '');
  if (!SERIAL.test(serial)) {
    throw new ServerError(
      'ERR_PSKC_INVALID',
      `not a valid PSKC file: key ${key.position} (Id ${key.id}) has ${key.serialNo === undefined ? 'no DeviceInfo/SerialNo' : `an unusable serial number "${key.serialNo}"`}`,
      { status: 422, messageId: 'error.pskc.invalid', details: { key: key.position } },
    );
  }
  return serial;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function importTokens(
  deps: { store: Store; secretBox: SecretBox },
  input: ImportTokensInput,
): Promise<ImportTokensResult> {
  const container = parsePskc(input.xml);
  const revealed = revealPskcSecrets(container, input.psk === undefined ? {} : { psk: input.psk });
  const devices = revealed.map(({ key, secret }) => ({ key, secret, serial: checkTotpKey(key, secret) }));
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.serial)) {
      throw new ServerError('ERR_PSKC_INVALID', `not a valid PSKC file: serial ${d.serial} occurs twice`, {
        status: 422,
        messageId: 'error.pskc.invalid',
        details: { serial: d.serial },
      });
    }
    seen.add(d.serial);
  }
  return deps.store.db.transaction().execute(async (trx) => {
    const tokens = deps.store.tokens.in(trx);
    const imported: string[] = [];
    const unchanged: string[] = [];
    for (const d of devices) {
      const known = await tokens.get(d.serial);
      if (known) {
        if (known.model === input.model && sameBytes(openTokenSecret(deps.secretBox, known), d.secret)) {
          unchanged.push(d.serial);
          continue;
        }
        throw new ServerError(
          'ERR_TOKEN_SERIAL_CONFLICT',
          `serial ${d.serial} is already in the inventory with another secret or model; nothing was imported`,
          { status: 409, messageId: 'error.token.serialConflict', details: { serial: d.serial } },
        );
      }
      await tokens.insert({
        serial: d.serial,
        model: input.model,
        manufacturer: d.key.manufacturer ?? null,
        algorithm: 'totp-sha1',
        digits: TOTP_POLICY.digits,
        periodSeconds: TOTP_POLICY.periodSeconds,
        secretSealed: sealTokenSecret(deps.secretBox, d.serial, d.secret),
        status: 'in-stock',
        importedAt: input.now,
      });
      imported.push(d.serial);
    }
    await deps.store.audit.append(
      {
        type: 'tokens.imported',
        actor: input.actor,
        data: {
          model: input.model,
          imported: imported.length,
          unchanged: unchanged.length,
          container: container.id ?? null,
        },
      },
      input.now,
      trx,
    );
    return { imported, unchanged };
  });
}
