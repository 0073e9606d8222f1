// Journey C, "Yes, activate": device chosen → password set twice → serial number entered → one-time
// code entered → activated (the device bound to the identity). Runs on the FlowEngine; diagram in docs/code-display.md.
import { toCoreError, validateNewPassword } from '@tillid/core';
import { z } from 'zod';
import { hashPassword } from '../crypto/password-hash.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { FlowDefinition, Transition } from '../flows/flow-definition.ts';
import { FlowEngine, type FlowView } from '../flows/flow-engine.ts';
import type { Store } from '../store/store.ts';
import { normaliseSerial } from './import-tokens.ts';
import { assertNoActiveDevice, deviceLimitError } from './order-service.ts';
import { acceptTokenCode, judgeTokenCode } from './token-code.ts';
import { TOKEN_MODELS, type TokenModel, type TokenRow } from './token-repository.ts';
import { isUniqueViolation } from './unique-violation.ts';

export const ACTIVATION_STATES = ['device-choice', 'password', 'serial', 'code', 'activated'] as const;
export type ActivationState = (typeof ACTIVATION_STATES)[number];

export interface ActivationContext {
  readonly identityId: string;
  /** The holder's user-ID, which the password may not contain (DESIGN §2). */
  readonly userId?: string;
  readonly model?: TokenModel;
  /** Argon2id; the password itself never enters the flow record. */
  readonly passwordHash?: string;
  readonly passwordStrength?: number;
  readonly serial?: string;
}

export interface ActivationDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  /** Keys the flow engine's hash of each step's input. */
  readonly hmacKey: Uint8Array;
}

/** Serial numbers typed per window: a few typos are normal, guessing serials is not. */
export const SERIAL_RATE_LIMITS = {
  windowMs: 15 * 60_000,
  perIdentity: 10,
  perSource: 30,
} as const;

type T<I, O> = Transition<ActivationState, ActivationContext, ActivationDeps, I, O>;

function stepMissing(what: string): ServerError {
  return new ServerError('ERR_FLOW_STATE', `${what} is missing`, {
    status: 409,
    messageId: 'error.flow.stepOutOfOrder',
  });
}

function unavailable(): ServerError {
  // One answer for unknown, taken and wrong-model serials, so serial numbers cannot be probed.
  return new ServerError('ERR_TOKEN_UNAVAILABLE', 'no device with this serial number can be activated here', {
    status: 422,
    messageId: 'error.token.unavailable',
  });
}

/** In stock, or sent to this very person. */
function eligibleFor(ctx: ActivationContext, model: TokenModel) {
  return (t: TokenRow) =>
    t.model === model &&
    (t.status === 'in-stock' || (t.status === 'assigned' && t.identityId === ctx.identityId));
}

const deviceChosen: T<{ model: TokenModel }, { model: TokenModel }> = {
  event: 'device-chosen',
  from: ['device-choice', 'password'],
  to: ['password'],
  input: z.object({ model: z.enum(TOKEN_MODELS) }),
  apply: async (ctx, input, env) => {
    await assertNoActiveDevice(env.deps.store, ctx.identityId, input.model);
    return { state: 'password', context: { ...ctx, model: input.model }, output: { model: input.model } };
  },
};

const passwordSet: T<{ passwordHash: string; strength: number }, { strength: number }> = {
  event: 'password-set',
  from: ['password'],
  to: ['serial'],
  // Filled by setActivationPassword() after validation; never straight from a client.
  input: z.object({
    passwordHash: z.string().startsWith('$argon2id$'),
    strength: z.number().int().min(0).max(4),
  }),
  apply: async (ctx, input) => ({
    state: 'serial',
    context: { ...ctx, passwordHash: input.passwordHash, passwordStrength: input.strength },
    output: { strength: input.strength },
  }),
};

const serialEntered: T<{ serial: string; source: string }, { serial: string }> = {
  event: 'serial-entered',
  from: ['serial', 'code'],
  to: ['code'],
  input: z.object({ serial: z.string().min(1).max(80), source: z.string().min(1).max(200) }),
  apply: async (ctx, input, env) => {
    const { store } = env.deps;
    if (!ctx.model) throw stepMissing('the device choice');
    const window = { windowMs: SERIAL_RATE_LIMITS.windowMs, now: env.now };
    const byIdentity = await store.rateLimits.hit(`token-serial:identity:${ctx.identityId}`, window);
    const bySource = await store.rateLimits.hit(`token-serial:source:${input.source}`, window);
    if (byIdentity.count > SERIAL_RATE_LIMITS.perIdentity || bySource.count > SERIAL_RATE_LIMITS.perSource) {
      const resetAt = Math.max(byIdentity.resetAt, bySource.resetAt);
      throw new ServerError('ERR_RATE_LIMITED', 'too many serial numbers tried; wait a while', {
        status: 429,
        messageId: 'error.rateLimited',
        details: { retryAfterSeconds: Math.max(1, Math.ceil((resetAt - env.now) / 1000)) },
      });
    }
    const serial = normaliseSerial(input.serial);
    const token = await store.tokens.get(serial);
    if (!token || !eligibleFor(ctx, ctx.model)(token)) throw unavailable();
    return { state: 'code', context: { ...ctx, serial }, output: { serial } };
  },
};

const codeEntered: T<{ code: string }, { serial: string; model: TokenModel }> = {
  event: 'code-entered',
  from: ['code'],
  to: ['activated'],
  input: z.object({ code: z.string().regex(/^\d{6}$/) }),
  apply: async (ctx, input, env) => {
    const { store, secretBox } = env.deps;
    const { model, serial, passwordHash, passwordStrength: strength } = ctx;
    if (!model || !serial || !passwordHash || strength === undefined) throw stepMissing('an earlier step');
    await assertNoActiveDevice(store, ctx.identityId, model);
    // A refused code's attempt is written here, outside the flow's transaction, so it always counts.
    const judged = await judgeTokenCode(
      { tokens: store.tokens, secretBox },
      { serial, code: input.code, now: env.now, eligible: eligibleFor(ctx, model) },
    );
    if (!judged.ok) {
      const code = judged.error.code;
      throw code === 'ERR_TOKEN_NOT_FOUND' || code === 'ERR_TOKEN_UNAVAILABLE' ? unavailable() : judged.error;
    }
    return {
      state: 'activated',
      context: ctx,
      output: { serial, model },
      // The code's use, the binding, the password, the order and the audit event commit with the step.
      commit: async (trx) => {
        let accepted: boolean;
        try {
          accepted = await acceptTokenCode(store.tokens.in(trx), judged, {
            status: 'active',
            identityId: ctx.identityId,
            activatedAt: env.now,
          });
        } catch (e) {
          // The database's one-active-device index caught a racing activation.
          if (isUniqueViolation(e)) throw deviceLimitError(model, 'active');
          throw e;
        }
        if (!accepted) {
          throw new ServerError('ERR_CONFLICT', 'the device changed meanwhile; enter the next code', {
            status: 409,
          });
        }
        await store.tokenPasswords.in(trx).set(ctx.identityId, passwordHash, strength, env.now);
        const orders = store.tokenOrders.in(trx);
        for (const o of await orders.list({ identityId: ctx.identityId })) {
          if (o.serial === serial && (o.status === 'shipped' || o.status === 'delivered')) {
            await orders.update(o.id, o.version, { status: 'activated' }, env.now);
          }
        }
        await store.audit.append(
          {
            type: 'token.activated',
            actor: `identity:${ctx.identityId}`,
            subject: `identity:${ctx.identityId}`,
            data: { serial, model, flow: env.flowId },
          },
          env.now,
          trx,
        );
      },
    };
  },
};

export const activationFlow: FlowDefinition<ActivationState, ActivationContext, ActivationDeps> = {
  kind: 'token-activation',
  states: ACTIVATION_STATES,
  initial: 'device-choice',
  final: ['activated'],
  ttlMs: 30 * 60_000,
  transitions: [deviceChosen, passwordSet, serialEntered, codeEntered],
};

export type ActivationEngine = FlowEngine<ActivationState, ActivationContext, ActivationDeps>;

export function createActivationEngine(deps: ActivationDeps): ActivationEngine {
  return new FlowEngine({
    definition: activationFlow,
    store: deps.store,
    deps,
    secretBox: deps.secretBox,
    hmacKey: deps.hmacKey,
  });
}

export function startActivation(
  engine: ActivationEngine,
  who: { identityId: string; userId?: string },
  now: number,
): Promise<FlowView<ActivationState>> {
  return engine.start(
    { identityId: who.identityId, ...(who.userId === undefined ? {} : { userId: who.userId }) },
    now,
  );
}

/**
 * The password step: validated against DESIGN §2 with the holder's user-ID and hashed (Argon2id)
 * before it reaches the engine, whose retry record keeps a hash of each step's input.
 */
export async function setActivationPassword(
  engine: ActivationEngine,
  flowId: string,
  input: { password: string; repeat: string },
  now: number,
): Promise<{ flow: FlowView<ActivationState>; output: { strength: number } }> {
  const { flow, context } = await engine.load(flowId, now);
  if (flow.state !== 'password') {
    throw new ServerError('ERR_FLOW_STATE', 'step password-set is not allowed now', {
      status: 409,
      messageId: 'error.flow.stepOutOfOrder',
      details: { state: flow.state, event: 'password-set' },
    });
  }
  const checked = validateNewPassword(
    input.password,
    input.repeat,
    context.userId === undefined ? {} : { userId: context.userId },
  );
  if (!checked.ok) throw toCoreError(checked.error);
  // core's passwordStrength score (0-4), computed on the NFC form that is hashed.
  const strength = checked.value.strength;
  const passwordHash = await hashPassword(checked.value.password);
  return engine.fire(flowId, 'password-set', { passwordHash, strength }, now);
}
