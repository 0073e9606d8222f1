// Runs PaddleOCR (ocr-child.mjs: onnxruntime on typed arrays) in a child process that is replaced
// every N frames or once it has grown past a memory budget. onnxruntime keeps what a frame's
// activations needed in glibc's arenas, which only a process exit returns for sure (an earlier
// pipeline grew the server from ~370 MB to ~1 GB in process; docs/vision.md). The child also gets
// MALLOC_ARENA_MAX=2 and a fixed mmap threshold, which its native allocator reads at start, and its
// crash cannot take the server down.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VisionError } from '../errors.ts';

export interface OcrLineBox {
  text: string;
  mean: number;
  box?: number[][];
}

export interface OcrProcessOptions {
  /** Replace the child after this many frames. */
  recycleAfterFrames: number;
  /** Replace the child once its resident memory after a frame exceeds this many bytes. */
  maxRssBytes: number;
  /** A frame taking longer than this kills the child (ms). */
  frameTimeoutMs: number;
}

export const DEFAULT_OCR_PROCESS: Readonly<OcrProcessOptions> = Object.freeze({
  recycleAfterFrames: 25,
  maxRssBytes: 256 * 2 ** 20,
  frameTimeoutMs: 30_000,
});

const CHILD = fileURLToPath(new URL('./ocr-child.mjs', import.meta.url));

type FrameReply =
  | { id: number; lines: OcrLineBox[]; rss: number }
  | { id: number; error: string; rss: number };
type Reply = { ready: true } | { failed: string } | FrameReply;

/** One OCR child at a time; callers serialise frames (the engine's document queue does). */
export class OcrProcess {
  readonly #options: OcrProcessOptions;
  #child: ChildProcess | undefined;
  #ready: Promise<ChildProcess> | undefined;
  #frames = 0;
  #nextId = 1;
  #lastRss = 0;
  #closed = false;

  private constructor(options: OcrProcessOptions) {
    this.#options = options;
  }

  /** Starts the first child and waits until its models are loaded. */
  static async start(options: Partial<OcrProcessOptions> = {}): Promise<OcrProcess> {
    const p = new OcrProcess({ ...DEFAULT_OCR_PROCESS, ...options });
    await p.#spawn();
    return p;
  }

  /** Resident memory of the current child after its last frame (or at load), bytes; 0 if none. */
  get childRss(): number {
    return this.#child ? this.#lastRss : 0;
  }

  /** Process id of the current child, for memory accounting. */
  get childPid(): number | undefined {
    return this.#child?.pid;
  }

  /** Text lines in raw RGB pixels whose sides are multiples of 32 (the detector's stride). */
  async detect(image: { rgb: Uint8Array; width: number; height: number }): Promise<OcrLineBox[]> {
    if (this.#closed) throw new VisionError('ERR_ENGINE_CLOSED', 'vision engine is closed');
    const child = await (this.#ready ?? this.#spawn());
    const id = this.#nextId++;
    child.ref();
    child.channel?.ref();
    try {
      const reply = await new Promise<FrameReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          child.kill('SIGKILL');
          reject(new VisionError('ERR_ENGINE_FAILED', 'OCR took too long on this frame'));
        }, this.#options.frameTimeoutMs);
        const onMessage = (m: Reply) => {
          if ('id' in m && m.id === id) {
            cleanup();
            resolve(m);
          }
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(
            new VisionError('ERR_ENGINE_FAILED', 'the OCR process stopped', { details: { code, signal } }),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ id, rgb: image.rgb, width: image.width, height: image.height });
      });
      this.#frames++;
      this.#lastRss = reply.rss;
      if ('error' in reply)
        throw new VisionError('ERR_MRZ_NOT_FOUND', 'OCR failed on this frame', {
          details: { error: reply.error },
        });
      return reply.lines;
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.unref();
        child.channel?.unref();
      }
      this.#maybeRecycle(child);
    }
  }

  /** Stops the child; later calls fail with ERR_ENGINE_CLOSED. */
  close(): void {
    this.#closed = true;
    this.#child?.kill();
    this.#child = undefined;
    this.#ready = undefined;
  }

  #maybeRecycle(child: ChildProcess): void {
    const dead = child.exitCode !== null || child.signalCode !== null;
    const worn =
      this.#frames >= this.#options.recycleAfterFrames || this.#lastRss > this.#options.maxRssBytes;
    if (!dead && !worn) return;
    if (this.#child === child) {
      this.#child = undefined;
      this.#ready = undefined;
    }
    child.kill();
    // Start the next one now, so the next frame does not wait for the models to load; a failure
    // here surfaces on that frame.
    if (!this.#closed) this.#spawn().catch(() => undefined);
  }

  #spawn(): Promise<ChildProcess> {
    this.#frames = 0;
    const ready = new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(CHILD, [], {
        // A bare node: the child is plain JavaScript and needs no loader or test-runner flags.
        execArgv: [],
        // Read by glibc at process start. A fixed mmap threshold (glibc's own rises to the largest
        // block freed) gives the detector's multi-MB activations back to the system after each frame:
        // the child then stays at ~150-240 MB instead of ~300-400 (docs/vision.md).
        env: { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: String(16 * 2 ** 20) },
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.#child = child;
      const fail = (message: string, details?: Record<string, unknown>) => {
        child.off('message', onMessage);
        child.kill();
        if (this.#child === child) {
          this.#child = undefined;
          this.#ready = undefined;
        }
        reject(new VisionError('ERR_ENGINE_INIT', message, details ? { details } : undefined));
      };
      const onMessage = (m: Reply) => {
        if ('ready' in m) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          // A child that dies while idle is replaced on the next frame.
          child.once('exit', () => {
            if (this.#child === child) {
              this.#child = undefined;
              this.#ready = undefined;
            }
          });
          this.#lastRss = 0;
          child.unref();
          child.channel?.unref();
          resolve(child);
        } else if ('failed' in m) {
          fail('cannot load the OCR models', { error: m.failed });
        }
      };
      const onExit = (code: number | null) => fail('the OCR process stopped while loading', { code });
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    // Unobserved rejections of a background respawn must not crash the server.
    ready.catch(() => undefined);
    this.#ready = ready;
    return ready;
  }
}
