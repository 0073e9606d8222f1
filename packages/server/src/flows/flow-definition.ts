// How a flow is declared: its states, and one transition per event naming the states it may start
// from and may end in. The engine enforces both; the table also draws the state diagram (Mermaid).
import type { Kysely } from 'kysely';
import type { ZodType } from 'zod';
import type { Database } from '../store/schema.ts';

export interface TransitionResult<S extends string, C, O> {
  readonly state: S;
  readonly context: C;
  /** What the client gets back (never the private context itself). */
  readonly output: O;
  /** A new expiry for the flow (e.g. a shorter one for a QR step). */
  readonly expiresAt?: number;
  /**
   * Writes that must commit together with the state change (an identity, an audit event): run in one
   * database transaction with the flow's compare-and-set, so a raced or failed step leaves neither.
   */
  readonly commit?: (trx: Kysely<Database>) => Promise<void>;
}

export interface TransitionEnv<D> {
  readonly now: number;
  readonly deps: D;
  readonly flowId: string;
}

export interface Transition<S extends string, C, D, I = unknown, O = unknown> {
  /** The event, kebab-case past tense: `document-type-chosen`. */
  readonly event: string;
  readonly from: readonly S[];
  readonly to: readonly S[];
  readonly input: ZodType<I>;
  apply(context: C, input: I, env: TransitionEnv<D>): Promise<TransitionResult<S, C, O>>;
}

export interface FlowDefinition<S extends string, C, D> {
  readonly kind: string;
  readonly states: readonly S[];
  readonly initial: S;
  readonly final: readonly S[];
  /** Lifetime of a new flow. */
  readonly ttlMs: number;
  // biome-ignore lint/suspicious/noExplicitAny: transitions differ in input and output types
  readonly transitions: readonly Transition<S, C, D, any, any>[];
}

/** A Mermaid stateDiagram of the definition, for docs/ (a test keeps the committed copy current). */
export function flowToMermaid<S extends string, C, D>(def: FlowDefinition<S, C, D>): string {
  // Mermaid state ids may not contain '-'; the edge labels keep the event names as written.
  const id = (s: string) => s.replace(/-/g, '_');
  const lines = ['stateDiagram-v2', `  [*] --> ${id(def.initial)}`];
  for (const t of def.transitions) {
    for (const from of t.from) for (const to of t.to) lines.push(`  ${id(from)} --> ${id(to)}: ${t.event}`);
  }
  for (const f of def.final) lines.push(`  ${id(f)} --> [*]`);
  return `${lines.join('\n')}\n`;
}
