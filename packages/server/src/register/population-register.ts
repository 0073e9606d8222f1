// The population register port (CPR lookups) and its adapters: a JSON file (the demo dataset for
// development) and an HTTP register. The enrollment flow compares the register's name and birth date with DG1.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ServerError } from '../errors.ts';

export const registerPersonSchema = z.object({
  cpr: z.string().regex(/^\d{10}$/),
  givenNames: z.string().min(1),
  surname: z.string().min(1),
  birthDate: z.iso.date(),
  sex: z.enum(['M', 'F']),
});

export type RegisterPerson = z.infer<typeof registerPersonSchema>;

export interface PopulationRegister {
  readonly kind: 'file' | 'http';
  /** The person with this 10-digit CPR number, or undefined when the register has none. */
  lookup(cpr: string): Promise<RegisterPerson | undefined>;
}

const fileSchema = z.object({ persons: z.array(registerPersonSchema.loose()) });

export const DEMO_REGISTER_FILE = new URL('../../demo/population-register.json', import.meta.url).pathname;

export class FilePopulationRegister implements PopulationRegister {
  readonly kind = 'file' as const;
  readonly #persons: ReadonlyMap<string, RegisterPerson>;

  constructor(path: string) {
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (cause) {
      throw new ServerError('ERR_CONFIG', `population register file ${path} is not a valid register`, {
        cause,
      });
    }
    this.#persons = new Map(parsed.persons.map((p) => [p.cpr, registerPersonSchema.parse(p)]));
  }

  async lookup(cpr: string): Promise<RegisterPerson | undefined> {
    return this.#persons.get(cpr);
  }
}

/** GET {baseUrl}/persons/{cpr} → 200 person JSON | 404; anything else is ERR_REGISTER_UNAVAILABLE. */
export class HttpPopulationRegister implements PopulationRegister {
  readonly kind = 'http' as const;
  readonly #baseUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: { baseUrl: string; token?: string; timeoutMs?: number }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async lookup(cpr: string): Promise<RegisterPerson | undefined> {
    if (!/^\d{10}$/.test(cpr)) return undefined;
    const unavailable = (why: string, cause?: unknown) =>
      new ServerError('ERR_REGISTER_UNAVAILABLE', `population register: ${why}`, {
        status: 503,
        messageId: 'error.registerUnavailable',
        cause,
      });
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}/persons/${cpr}`, {
        headers: {
          accept: 'application/json',
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw unavailable('no answer', cause);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw unavailable(`answered ${response.status}`);
    const parsed = registerPersonSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success || parsed.data.cpr !== cpr) throw unavailable('answered an unexpected document');
    return parsed.data;
  }
}

/** `demo` (development), `file:PATH`, or an http(s) base URL (token from TILLID_POPULATION_REGISTER_TOKEN). */
export function createPopulationRegister(setting: string, token?: string): PopulationRegister {
  if (setting === 'demo') return new FilePopulationRegister(DEMO_REGISTER_FILE);
  if (setting.startsWith('file:')) return new FilePopulationRegister(setting.slice('file:'.length));
  return new HttpPopulationRegister({ baseUrl: setting, ...(token ? { token } : {}) });
}
