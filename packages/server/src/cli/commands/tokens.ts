// `tillid tokens import|list|revoke`: the inventory of code displays and code readers, filled from
// PSKC files (RFC 6030) that device makers deliver, plain or encrypted with a pre-shared key.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SecretBox } from '../../crypto/secret-box.ts';
import { ServerError } from '../../errors.ts';
import { importTokens, normaliseSerial } from '../../tokens/import-tokens.ts';
import {
  TOKEN_MODELS,
  TOKEN_STATUSES,
  type TokenModel,
  type TokenStatus,
} from '../../tokens/token-repository.ts';
import { withStore } from '../with-store.ts';

function usage(message: string): ServerError {
  return new ServerError('ERR_VALIDATION', message, { status: 400 });
}

/** The pre-shared key as hex (spaces and colons allowed, as vendors print them). */
export function parsePsk(hex: string): Uint8Array {
  const compact = hex.replace(/[\s:]/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(compact))
    throw usage('--psk must be hex, e.g. 12345678901234567890123456789012');
  return new Uint8Array(Buffer.from(compact, 'hex'));
}

function model(value: string): TokenModel {
  if (!(TOKEN_MODELS as readonly string[]).includes(value))
    throw usage(`--model must be one of ${TOKEN_MODELS.join(', ')}`);
  return value as TokenModel;
}

export function register(program: Command): void {
  const tokens = program.command('tokens').description('code displays and code readers (inventory)');
  tokens
    .command('import <file>')
    .description(
      'import the devices of a PSKC file (RFC 6030), all or nothing; known serials with the same secret are kept',
    )
    .option('--psk <hex>', 'the pre-shared key of an encrypted container (RFC 6030 §6.1)')
    .option('--model <model>', `the devices' model: ${TOKEN_MODELS.join(' or ')}`, 'display')
    .option('--actor <who>', 'who imports, recorded in the audit log', 'operator:cli')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { psk?: string; model: string; actor: string; json?: boolean }) => {
      let xml: string;
      try {
        xml = readFileSync(file, 'utf8');
      } catch (cause) {
        throw new ServerError('ERR_VALIDATION', `cannot read ${file}`, { status: 400, cause });
      }
      const result = await withStore(({ config, store }) =>
        importTokens(
          { store, secretBox: new SecretBox(config.secrets.encryptionKey) },
          {
            xml,
            model: model(opts.model),
            actor: opts.actor,
            now: Date.now(),
            ...(opts.psk === undefined ? {} : { psk: parsePsk(opts.psk) }),
          },
        ),
      );
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else
        process.stdout.write(
          `imported ${result.imported.length} device(s)${result.unchanged.length ? `, ${result.unchanged.length} already known` : ''}\n`,
        );
    });
  tokens
    .command('list')
    .description('list devices (never their secrets)')
    .option('--status <status>', TOKEN_STATUSES.join('|'))
    .option('--limit <n>', 'at most this many', '1000')
    .action(async (opts: { status?: string; limit: string }) => {
      if (opts.status !== undefined && !(TOKEN_STATUSES as readonly string[]).includes(opts.status)) {
        throw usage(`--status must be one of ${TOKEN_STATUSES.join(', ')}`);
      }
      const rows = await withStore(({ store }) =>
        store.tokens.list({
          limit: Number(opts.limit),
          ...(opts.status === undefined ? {} : { status: opts.status as TokenStatus }),
        }),
      );
      for (const { secretSealed: _secret, ...t } of rows) process.stdout.write(`${JSON.stringify(t)}\n`);
    });
  tokens
    .command('revoke <serial>')
    .description('revoke a device (lost, stolen or broken); it can never be used again')
    .option('--actor <who>', 'who revokes, recorded in the audit log', 'operator:cli')
    .action(async (serialText: string, opts: { actor: string }) => {
      const serial = normaliseSerial(serialText);
      await withStore(async ({ store }) => {
        const t = await store.tokens.get(serial);
        if (!t) throw new ServerError('ERR_TOKEN_NOT_FOUND', `no device ${serial}`, { status: 404 });
        if (t.status === 'revoked') return;
        const now = Date.now();
        await store.db.transaction().execute(async (trx) => {
          if (
            !(await store.tokens.in(trx).update(serial, t.version, { status: 'revoked', revokedAt: now }))
          ) {
            throw new ServerError('ERR_CONFLICT', 'the device changed meanwhile; try again', { status: 409 });
          }
          await store.audit.append(
            {
              type: 'token.revoked',
              actor: opts.actor,
              subject: t.identityId === null ? null : `identity:${t.identityId}`,
              data: { serial },
            },
            now,
            trx,
          );
        });
      });
      process.stdout.write(`revoked ${serial}\n`);
    });
}
