// Bounded work queue: at most `concurrency` jobs run, at most `maxQueued` wait; anything beyond
// is refused at once with ERR_BUSY, so a burst of checks cannot pile up frames in memory.

import { VisionError } from '../errors.ts';

export interface WorkQueueOptions {
  concurrency: number;
  maxQueued: number;
  /** Name used in the busy error's details, e.g. "face" or "document". */
  name: string;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  #closed = false;

  constructor(options: WorkQueueOptions) {
    if (!(options.concurrency >= 1) || !(options.maxQueued >= 0)) {
      throw new VisionError('ERR_USAGE', 'queue needs concurrency >= 1 and maxQueued >= 0');
    }
    this.#options = { ...options };
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `job` when a slot frees up; throws ERR_BUSY immediately if the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new VisionError('ERR_ENGINE_CLOSED', 'vision engine is closed');
    if (this.#running >= this.#options.concurrency) {
      if (this.#waiting.length >= this.#options.maxQueued) {
        throw new VisionError('ERR_BUSY', 'vision engine is busy, try again', {
          details: { queue: this.#options.name, running: this.#running, queued: this.#waiting.length },
        });
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter so the running count never dips and re-rises.
      if (next) next();
      else this.#running--;
    }
  }

  /** Refuses new work; jobs already admitted still finish. */
  close(): void {
    this.#closed = true;
  }
}
