// `tillid orders list|ship|deliver|cancel|letter`: operators send code displays and code readers by
// post and print the instruction letter (PDF, in the person's language) that goes in the envelope.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SecretBox } from '../../crypto/secret-box.ts';
import { ServerError } from '../../errors.ts';
import { normaliseSerial } from '../../tokens/import-tokens.ts';
import { renderOrderLetter } from '../../tokens/order-letter.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../tokens/order-repository.ts';
import {
  cancelOrder,
  deliverOrder,
  type OrderDeps,
  orderLetterInput,
  orderView,
  shipOrder,
} from '../../tokens/order-service.ts';
import { withStore } from '../with-store.ts';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function writeLetter(deps: OrderDeps, orderId: string, file: string): Promise<void> {
  const pdf = await renderOrderLetter(await orderLetterInput(deps, orderId, Date.now()));
  writeFileSync(file, pdf);
}

export function register(program: Command): void {
  const orders = program.command('orders').description('code displays and code readers ordered by post');
  orders
    .command('list')
    .description('list orders, oldest first (addresses are shown only in letters)')
    .option('--status <status>', ORDER_STATUSES.join('|'))
    .action(async (opts: { status?: string }) => {
      if (opts.status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(opts.status)) {
        throw new ServerError('ERR_VALIDATION', `--status must be one of ${ORDER_STATUSES.join(', ')}`, {
          status: 400,
        });
      }
      const rows = await withStore(({ store }) =>
        store.tokenOrders.list(opts.status === undefined ? {} : { status: opts.status as OrderStatus }),
      );
      for (const r of rows) print(orderView(r));
    });
  orders
    .command('ship <orderId>')
    .description('assign an in-stock device to the order and mark it shipped; optionally write the letter')
    .requiredOption('--serial <serial>', 'the serial number of the device put in the envelope')
    .option('--letter <file.pdf>', 'write the instruction letter (with the serial number) to this file')
    .option('--actor <who>', 'who ships, recorded in the audit log', 'operator:cli')
    .action(async (orderId: string, opts: { serial: string; letter?: string; actor: string }) => {
      const order = await withStore(async ({ config, store }) => {
        const deps = { store, secretBox: new SecretBox(config.secrets.encryptionKey) };
        const shipped = await shipOrder(deps, {
          orderId,
          serial: normaliseSerial(opts.serial),
          actor: opts.actor,
          now: Date.now(),
        });
        if (opts.letter) await writeLetter(deps, orderId, opts.letter);
        return shipped;
      });
      print(order);
    });
  orders
    .command('deliver <orderId>')
    .description('mark a shipped order delivered')
    .option('--actor <who>', 'who records it, for the audit log', 'operator:cli')
    .action(async (orderId: string, opts: { actor: string }) => {
      const order = await withStore(({ config, store }) =>
        deliverOrder(
          { store, secretBox: new SecretBox(config.secrets.encryptionKey) },
          { orderId, actor: opts.actor, now: Date.now() },
        ),
      );
      print(order);
    });
  orders
    .command('cancel <orderId>')
    .description('cancel an order; a device already shipped is revoked')
    .option('--actor <who>', 'who cancels, for the audit log', 'operator:cli')
    .action(async (orderId: string, opts: { actor: string }) => {
      const order = await withStore(({ config, store }) =>
        cancelOrder(
          { store, secretBox: new SecretBox(config.secrets.encryptionKey) },
          { orderId, actor: opts.actor, now: Date.now() },
        ),
      );
      print(order);
    });
  orders
    .command('letter <orderId>')
    .description("write the order's instruction letter (PDF, in the person's language)")
    .requiredOption('--out <file.pdf>', 'where to write it')
    .action(async (orderId: string, opts: { out: string }) => {
      await withStore(({ config, store }) =>
        writeLetter({ store, secretBox: new SecretBox(config.secrets.encryptionKey) }, orderId, opts.out),
      );
      process.stdout.write(`wrote ${opts.out}\n`);
    });
}
