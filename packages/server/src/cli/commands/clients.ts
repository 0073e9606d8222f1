// `tillid clients add|list|remove`: relying services registered in the database (beside the clients file),
// and `tillid oidc-keys list|rotate|prune`: the provider's signing keys.
import type { Command } from 'commander';
import { SecretBox } from '../../crypto/secret-box.ts';
import { ServerError } from '../../errors.ts';
import { generateClientSecret, OidcClientRepository, parseClient } from '../../oidc/clients.ts';
import {
  DEFAULT_RETIRE_AFTER_MS,
  deleteRetiredSigningKeys,
  ensureSigningKey,
  listSigningKeys,
  rotateSigningKey,
} from '../../oidc/signing-keys.ts';
import { withStore } from '../with-store.ts';

interface AddOptions {
  id: string;
  redirectUri: string[];
  secret?: string | true;
  public?: boolean;
  name?: string;
  pairwise?: boolean;
  json?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  const clients = program
    .command('clients')
    .description('services that log people in with Tillid (OIDC clients)');
  clients
    .command('add')
    .description('register (or replace) a service; a generated secret is shown only now')
    .requiredOption('--id <client_id>', 'the client id the service uses')
    .requiredOption('--redirect-uri <uri>', 'a redirect URI (repeat for more)', collect)
    .option(
      '--secret [secret]',
      'confidential client (client_secret_basic); generated when no value is given',
    )
    .option('--public', 'public client (browser or native app): no secret, PKCE only')
    .option('--name <name>', "the service's name shown to people when they log in")
    .option('--pairwise', 'give this service a pairwise subject instead of the identity uuid')
    .option('--json', 'print JSON')
    .action(async (opts: AddOptions) => {
      if (opts.public && opts.secret !== undefined)
        throw new ServerError('ERR_VALIDATION', 'choose either --secret or --public', { status: 400 });
      const secret = opts.public
        ? undefined
        : typeof opts.secret === 'string'
          ? opts.secret
          : generateClientSecret();
      const result = await withStore(async ({ config, store }) => {
        const client = parseClient(
          {
            client_id: opts.id,
            redirect_uris: opts.redirectUri,
            token_endpoint_auth_method: secret === undefined ? 'none' : 'client_secret_basic',
            ...(secret === undefined ? {} : { client_secret: secret }),
            ...(opts.name ? { client_name: opts.name } : {}),
            subject_type: opts.pairwise ? 'pairwise' : 'public',
          },
          config.mode,
        );
        const now = Date.now();
        await new OidcClientRepository(store.db, new SecretBox(config.secrets.encryptionKey)).put(
          client,
          now,
        );
        await store.audit.append(
          {
            type: 'oidc.client.registered',
            actor: 'operator:cli',
            subject: client.client_id,
            data: { redirectUris: client.redirect_uris, auth: client.token_endpoint_auth_method },
          },
          now,
        );
        return { client_id: client.client_id, issuer: `${config.publicUrl}/oidc` };
      });
      const generated = secret !== undefined && typeof opts.secret !== 'string';
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify({ ...result, ...(generated ? { client_secret: secret } : {}) })}\n`,
        );
      else
        process.stdout.write(
          `registered ${result.client_id} (issuer ${result.issuer})\n${generated ? `client secret: ${secret}\nIt is not shown again.\n` : ''}`,
        );
    });
  clients
    .command('list')
    .description('list services registered in the database (secrets are never shown)')
    .action(async () => {
      const list = await withStore(({ config, store }) =>
        new OidcClientRepository(store.db, new SecretBox(config.secrets.encryptionKey)).list(),
      );
      for (const c of list) process.stdout.write(`${JSON.stringify(c)}\n`);
    });
  clients
    .command('remove <client_id>')
    .description('remove a service registered in the database')
    .action(async (id: string) => {
      const removed = await withStore(async ({ config, store }) => {
        const ok = await new OidcClientRepository(
          store.db,
          new SecretBox(config.secrets.encryptionKey),
        ).remove(id);
        if (ok)
          await store.audit.append(
            { type: 'oidc.client.removed', actor: 'operator:cli', subject: id },
            Date.now(),
          );
        return ok;
      });
      process.stdout.write(removed ? `removed ${id}\n` : `no client ${id}\n`);
      if (!removed) process.exitCode = 1;
    });

  const keys = program.command('oidc-keys').description("the OIDC provider's token signing keys");
  keys
    .command('list')
    .description('published keys, the signing key first')
    .action(async () => {
      const list = await withStore(({ config, store }) =>
        listSigningKeys({ db: store.db, secretBox: new SecretBox(config.secrets.encryptionKey) }, Date.now()),
      );
      for (const k of list) process.stdout.write(`${JSON.stringify(k)}\n`);
    });
  keys
    .command('rotate')
    .description('add a new signing key; the old one stays published for verification until retired')
    .option(
      '--retire-after-hours <hours>',
      'how long the old key stays published',
      String(DEFAULT_RETIRE_AFTER_MS / 3_600_000),
    )
    .action(async (opts: { retireAfterHours: string }) => {
      const hours = Number(opts.retireAfterHours);
      if (!Number.isFinite(hours) || hours < 1)
        throw new ServerError(
          'ERR_VALIDATION',
          '--retire-after-hours must be at least 1 (ID tokens live 1 hour)',
          {
            status: 400,
          },
        );
      const r = await withStore(async ({ config, store }) => {
        const deps = { db: store.db, secretBox: new SecretBox(config.secrets.encryptionKey) };
        await ensureSigningKey(deps, Date.now());
        const rotated = await rotateSigningKey(deps, {
          now: Date.now(),
          retireAfterMs: Math.round(hours * 3_600_000),
        });
        await store.audit.append(
          { type: 'oidc.signing-key.rotated', actor: 'operator:cli', data: rotated },
          Date.now(),
        );
        return rotated;
      });
      process.stdout.write(
        `new signing key ${r.kid}; retiring ${r.retiring.join(', ') || 'none'} in ${hours} h\nRunning nodes switch within TILLID_OIDC_KEY_REFRESH_SECONDS.\n`,
      );
    });
  keys
    .command('prune')
    .description('delete keys whose publication period is over')
    .action(async () => {
      const gone = await withStore(({ config, store }) =>
        deleteRetiredSigningKeys(
          { db: store.db, secretBox: new SecretBox(config.secrets.encryptionKey) },
          Date.now(),
        ),
      );
      process.stdout.write(gone.length ? `deleted ${gone.join(', ')}\n` : 'nothing to delete\n');
    });
}
