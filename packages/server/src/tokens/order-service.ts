// Code displays by post (journey C, "No, order"): ordered → shipped → delivered → activated, or
// cancelled. Limits: one device of each model in use or on its way; the first 3 devices are free.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { ORDER_LANGUAGES, type OrderLanguage, type OrderRow, type OrderStatus } from './order-repository.ts';
import { TOKEN_MODELS, type TokenModel } from './token-repository.ts';
import { isUniqueViolation } from './unique-violation.ts';

export const ORDER_POLICY = { freeDevices: 3 } as const;

export const postalAddressSchema = z.object({
  name: z.string().trim().min(1).max(120),
  street: z.string().trim().min(1).max(200),
  postcode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z -]{3,10}$/),
  city: z.string().trim().min(1).max(100),
  country: z.string().trim().min(2).max(60).optional(),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

export const placeOrderSchema = z.object({
  model: z.enum(TOKEN_MODELS),
  language: z.enum(ORDER_LANGUAGES),
  address: postalAddressSchema,
});

export interface OrderDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
}

export interface OrderView {
  readonly id: string;
  readonly identityId: string;
  readonly model: TokenModel;
  readonly language: OrderLanguage;
  readonly status: OrderStatus;
  readonly serial: string | null;
  readonly feeRequired: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const ADDRESS_PURPOSE = 'token-order-address';
const OPEN: readonly OrderStatus[] = ['ordered', 'shipped', 'delivered'];

export function orderView(r: OrderRow): OrderView {
  const { addressSealed: _sealed, version: _version, ...view } = r;
  return view;
}

export function openOrderAddress(secretBox: SecretBox, r: OrderRow): PostalAddress {
  return postalAddressSchema.parse(JSON.parse(secretBox.open(ADDRESS_PURPOSE, r.addressSealed, r.id)));
}

export function deviceLimitError(model: TokenModel, reason: 'active' | 'open-order'): ServerError {
  return new ServerError(
    'ERR_CODE_DISPLAY_LIMIT',
    reason === 'active'
      ? `there is already an active ${model === 'display' ? 'code display' : 'code reader'}; revoke it first`
      : `a ${model === 'display' ? 'code display' : 'code reader'} is already on its way`,
    { status: 409, messageId: 'error.token.limit', details: { model, reason } },
  );
}

/** The limit of DESIGN §2 (1 active code display), checked before an order or an activation. */
export async function assertNoActiveDevice(
  store: Store,
  identityId: string,
  model: TokenModel,
): Promise<void> {
  if (await store.tokens.active(identityId, model)) throw deviceLimitError(model, 'active');
}

export async function placeOrder(
  deps: OrderDeps,
  input: {
    identityId: string;
    model: TokenModel;
    language: OrderLanguage;
    address: PostalAddress;
    now: number;
  },
): Promise<OrderView> {
  const address = postalAddressSchema.parse(input.address);
  await assertNoActiveDevice(deps.store, input.identityId, input.model);
  const previous = await deps.store.tokenOrders.list({ identityId: input.identityId });
  if (previous.some((o) => o.model === input.model && OPEN.includes(o.status))) {
    throw deviceLimitError(input.model, 'open-order');
  }
  const counted = previous.filter((o) => o.status !== 'cancelled').length;
  const id = randomUUID();
  const row = {
    id,
    identityId: input.identityId,
    model: input.model,
    language: input.language,
    addressSealed: deps.secretBox.seal(ADDRESS_PURPOSE, JSON.stringify(address), id),
    feeRequired: counted >= ORDER_POLICY.freeDevices,
    createdAt: input.now,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    try {
      await deps.store.tokenOrders.in(trx).insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) throw deviceLimitError(input.model, 'open-order');
      throw e;
    }
    await deps.store.audit.append(
      {
        type: 'token.order.placed',
        actor: `identity:${input.identityId}`,
        subject: `identity:${input.identityId}`,
        data: { order: id, model: input.model, feeRequired: row.feeRequired },
      },
      input.now,
      trx,
    );
  });
  const created = await deps.store.tokenOrders.get(id);
  if (!created) throw new ServerError('ERR_INTERNAL', 'order vanished after insert');
  return orderView(created);
}

function orderNotFound(): ServerError {
  return new ServerError('ERR_ORDER_NOT_FOUND', 'no such order', {
    status: 404,
    messageId: 'error.order.notFound',
  });
}

function orderState(o: OrderRow, wanted: string): ServerError {
  return new ServerError('ERR_ORDER_STATE', `order ${o.id} is ${o.status}; it cannot be ${wanted}`, {
    status: 409,
    messageId: 'error.order.state',
    details: { status: o.status },
  });
}

function raced(): ServerError {
  return new ServerError('ERR_CONFLICT', 'the order changed meanwhile; try again', { status: 409 });
}

/** An operator sends a device: an in-stock token of the ordered model is assigned to the person. */
export async function shipOrder(
  deps: OrderDeps,
  input: { orderId: string; serial: string; actor: string; now: number },
): Promise<OrderView> {
  return deps.store.db.transaction().execute(async (trx) => {
    const orders = deps.store.tokenOrders.in(trx);
    const tokens = deps.store.tokens.in(trx);
    const o = await orders.get(input.orderId);
    if (!o) throw orderNotFound();
    if (o.status !== 'ordered') throw orderState(o, 'shipped');
    const t = await tokens.get(input.serial);
    if (t?.status !== 'in-stock' || t.model !== o.model) {
      throw new ServerError('ERR_TOKEN_UNAVAILABLE', `${input.serial} is not an in-stock ${o.model}`, {
        status: 409,
        messageId: 'error.token.unavailable',
      });
    }
    if (!(await tokens.update(t.serial, t.version, { status: 'assigned', identityId: o.identityId })))
      throw raced();
    if (!(await orders.update(o.id, o.version, { status: 'shipped', serial: t.serial }, input.now)))
      throw raced();
    await deps.store.audit.append(
      {
        type: 'token.order.shipped',
        actor: input.actor,
        subject: `identity:${o.identityId}`,
        data: { order: o.id, serial: t.serial },
      },
      input.now,
      trx,
    );
    const shipped = await orders.get(o.id);
    if (!shipped) throw orderNotFound();
    return orderView(shipped);
  });
}

async function moveOrder(
  deps: OrderDeps,
  input: { orderId: string; actor: string; now: number; identityId?: string },
  move: { from: readonly OrderStatus[]; to: OrderStatus; verb: string },
): Promise<OrderView> {
  return deps.store.db.transaction().execute(async (trx) => {
    const orders = deps.store.tokenOrders.in(trx);
    const o = await orders.get(input.orderId);
    if (!o || (input.identityId !== undefined && o.identityId !== input.identityId)) throw orderNotFound();
    if (!move.from.includes(o.status)) throw orderState(o, move.verb);
    if (!(await orders.update(o.id, o.version, { status: move.to }, input.now))) throw raced();
    // A device cancelled on its way may be in anyone's hands: it is never activated.
    if (move.to === 'cancelled' && o.serial !== null) {
      const tokens = deps.store.tokens.in(trx);
      const t = await tokens.get(o.serial);
      if (
        t &&
        t.status === 'assigned' &&
        !(await tokens.update(t.serial, t.version, { status: 'revoked', revokedAt: input.now }))
      ) {
        throw raced();
      }
    }
    await deps.store.audit.append(
      {
        type: `token.order.${move.to}`,
        actor: input.actor,
        subject: `identity:${o.identityId}`,
        data: { order: o.id, ...(o.serial === null ? {} : { serial: o.serial }) },
      },
      input.now,
      trx,
    );
    const moved = await orders.get(o.id);
    if (!moved) throw orderNotFound();
    return orderView(moved);
  });
}

export function deliverOrder(deps: OrderDeps, input: { orderId: string; actor: string; now: number }) {
  return moveOrder(deps, input, { from: ['shipped'], to: 'delivered', verb: 'delivered' });
}

/** By an operator, or by the person (then `identityId` must own the order). */
export function cancelOrder(
  deps: OrderDeps,
  input: { orderId: string; actor: string; now: number; identityId?: string },
) {
  return moveOrder(deps, input, { from: ['ordered', 'shipped'], to: 'cancelled', verb: 'cancelled' });
}

/** The letter's data for an order (the address opened from its seal). */
export async function orderLetterInput(deps: OrderDeps, orderId: string, now: number) {
  const o = await deps.store.tokenOrders.get(orderId);
  if (!o) throw orderNotFound();
  return {
    language: o.language,
    model: o.model,
    address: openOrderAddress(deps.secretBox, o),
    orderId: o.id,
    ...(o.serial === null ? {} : { serial: o.serial }),
    date: now,
  };
}
