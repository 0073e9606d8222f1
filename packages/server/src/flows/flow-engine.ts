// Runs flow transitions against the store: validates input, checks the allowed prior state and expiry,
// applies by compare-and-set, and makes retries idempotent (the same event with the same input on the
// flow it already changed answers the stored output again instead of applying twice).
import { createHmac } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ServerError } from '../errors.ts';
import type { FlowRecord } from '../store/flow-repository.ts';
import type { Store } from '../store/store.ts';
import type { FlowDefinition, Transition } from './flow-definition.ts';

/** What the engine keeps beside a flow's own context. */
export interface FlowEnvelope<C> {
  readonly context: C;
  /**
   * The last applied step, to answer its retry: a keyed hash of its input (inputs can be CPR numbers,
   * codes or passwords: a plain hash of a small space is reversible) and its output, sealed.
   */
  readonly last?: {
    readonly event: string;
    readonly inputHash: string;
    readonly version: number;
    readonly output: string;
  };
}

export interface FlowView<S extends string> {
  readonly id: string;
  readonly kind: string;
  readonly state: S;
  readonly version: number;
  readonly expiresAt: number;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

function view<S extends string>(r: FlowRecord<unknown>): FlowView<S> {
  return { id: r.id, kind: r.kind, state: r.state as S, version: r.version, expiresAt: r.expiresAt };
}

export class FlowEngine<S extends string, C, D> {
  readonly #def: FlowDefinition<S, C, D>;
  readonly #store: Store;
  readonly #deps: D;
  readonly #secretBox: SecretBox;
  readonly #hmacKey: Uint8Array;
  // biome-ignore lint/suspicious/noExplicitAny: see FlowDefinition.transitions
  readonly #byEvent: ReadonlyMap<string, Transition<S, C, D, any, any>>;

  constructor(options: {
    definition: FlowDefinition<S, C, D>;
    store: Store;
    deps: D;
    /** Seals each step's output kept for retries. */
    secretBox: SecretBox;
    /** Keys the hash of each step's input kept for retries. */
    hmacKey: Uint8Array;
  }) {
    this.#def = options.definition;
    this.#store = options.store;
    this.#secretBox = options.secretBox;
    this.#hmacKey = options.hmacKey;
    this.#deps = options.deps;
    this.#byEvent = new Map(options.definition.transitions.map((t) => [t.event, t]));
  }

  get definition(): FlowDefinition<S, C, D> {
    return this.#def;
  }

  async start(context: C, now: number): Promise<FlowView<S>> {
    const envelope: FlowEnvelope<C> = { context };
    const r = await this.#store.flows.create(
      { kind: this.#def.kind, state: this.#def.initial, expiresAt: now + this.#def.ttlMs, context: envelope },
      now,
    );
    return view<S>(r);
  }

  /** The flow and its private context; expired or foreign flows are errors. */
  async load(id: string, now: number): Promise<{ flow: FlowView<S>; context: C }> {
    const r = await this.#store.flows.get<FlowEnvelope<C>>(id);
    if (!r || r.kind !== this.#def.kind) {
      throw new ServerError('ERR_FLOW_NOT_FOUND', 'no such flow', {
        status: 404,
        messageId: 'error.flow.notFound',
      });
    }
    if (r.expiresAt <= now) {
      throw new ServerError('ERR_FLOW_EXPIRED', 'this flow has expired; start again', {
        status: 410,
        messageId: 'error.flow.expired',
      });
    }
    return { flow: view<S>(r), context: r.context.context };
  }

  /** Applies `event` with `input`. Invalid input, a wrong state or an expired flow change nothing. */
  async fire<O = unknown>(
    id: string,
    event: string,
    rawInput: unknown,
    now: number,
  ): Promise<{ flow: FlowView<S>; output: O }> {
    const t = this.#byEvent.get(event);
    if (!t)
      throw new ServerError('ERR_NOT_FOUND', `unknown step ${event}`, {
        status: 404,
        messageId: 'error.flow.unknownStep',
      });
    const parsed = t.input.safeParse(rawInput);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: ['body', ...i.path].join('.'),
        message: i.message,
      }));
      throw new ServerError('ERR_VALIDATION', `invalid input for ${event}`, {
        status: 400,
        messageId: 'error.validation',
        details: { issues },
      });
    }
    const record = await this.#store.flows.get<FlowEnvelope<C>>(id);
    if (!record || record.kind !== this.#def.kind) {
      throw new ServerError('ERR_FLOW_NOT_FOUND', 'no such flow', {
        status: 404,
        messageId: 'error.flow.notFound',
      });
    }
    const inputHash = createHmac('sha256', this.#hmacKey)
      .update(`tillid/flow-input\u0000${id}\u0000${event}\u0000${canonical(parsed.data)}`)
      .digest('hex');
    const last = record.context.last;
    // A retry of the request that produced the current version: answer it again.
    if (last && last.event === event && last.inputHash === inputHash && last.version === record.version) {
      return {
        flow: view<S>(record),
        output: JSON.parse(this.#secretBox.open('flow-output', last.output, id)) as O,
      };
    }
    if (record.expiresAt <= now) {
      throw new ServerError('ERR_FLOW_EXPIRED', 'this flow has expired; start again', {
        status: 410,
        messageId: 'error.flow.expired',
      });
    }
    if (!t.from.includes(record.state as S)) {
      throw new ServerError('ERR_FLOW_STATE', `step ${event} is not allowed now`, {
        status: 409,
        messageId: 'error.flow.stepOutOfOrder',
        details: { state: record.state, event },
      });
    }
    const result = await t.apply(record.context.context, parsed.data, { now, deps: this.#deps, flowId: id });
    if (!t.to.includes(result.state)) {
      throw new ServerError('ERR_INTERNAL', `transition ${event} ended in undeclared state ${result.state}`);
    }
    const envelope: FlowEnvelope<C> = {
      context: result.context,
      last: {
        event,
        inputHash,
        version: record.version + 1,
        output: this.#secretBox.seal('flow-output', JSON.stringify(result.output ?? null), id),
      },
    };
    const change = {
      expectedVersion: record.version,
      state: result.state,
      context: envelope,
      ...(result.expiresAt === undefined ? {} : { expiresAt: result.expiresAt }),
    };
    const commit = result.commit;
    const updated = commit
      ? await this.#store.db.transaction().execute(async (trx) => {
          const u = await this.#store.flows.transition<FlowEnvelope<C>>(id, change, now, trx);
          await commit(trx);
          return u;
        })
      : await this.#store.flows.transition<FlowEnvelope<C>>(id, change, now);
    return { flow: view<S>(updated), output: result.output as O };
  }
}
