// Starts @vladmandic/human on the tfjs WebAssembly backend entirely from local files: models from
// the package's models/ folder, the .wasm binary from @tensorflow/tfjs-backend-wasm. Nothing is
// fetched from the internet. Called once per engine (server start), never per request.
//
// Why the workarounds below (see docs/vision.md, "Loading human"):
// - dist/human.node-wasm.js needs @tensorflow/tfjs-converter, which is not installed, so we load
//   the self-contained dist/human.esm.js. That bundle stubs Node's `util`, and crashes at import if
//   it detects Node; we hide `process.versions.node` for the duration of the import only, then
//   give tfjs a small Node platform (fetch/encode/decode) of our own.
// - The bundled Emscripten loader reads `__dirname` when it sees Node; we define it for the
//   duration of backend start and remove it after, together with the process-wide
//   uncaughtException/unhandledRejection listeners Emscripten installs.
// - human fetches models with the global fetch, which cannot read file:// URLs in Node, so a
//   loopback-only HTTP server serves the allow-listed model files while loading, then closes.

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { VisionError } from '../errors.ts';
import type { HumanConstructor, HumanLike } from './human-types.ts';

/**
 * Models human loads, all shipped inside @vladmandic/human/models. faceres (the descriptor) is run by
 * onnxruntime instead (faceres-onnx.ts); iris adds nothing we use (eye openness comes from the mesh).
 */
export const HUMAN_MODELS = ['blazeface', 'facemesh', 'antispoof', 'liveness'] as const;

export interface HumanPaths {
  humanDir: string;
  modelsDir: string;
  wasmDir: string;
}

export function resolveHumanPaths(): HumanPaths {
  const require = createRequire(import.meta.url);
  // Resolves to dist/human.node.js through the "node" condition of the odd exports map.
  const humanDir = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return { humanDir, modelsDir: path.join(humanDir, 'models'), wasmDir };
}

/** Detection settings shared by every call; per-call toggles are added by the analyzer. */
export function baseHumanConfig(modelBasePath: string, wasmDir: string): Record<string, unknown> {
  return {
    backend: 'wasm',
    wasmPath: `${wasmDir}${path.sep}`,
    wasmPlatformFetch: true,
    modelBasePath,
    cacheModels: false,
    debug: false,
    async: true,
    warmup: 'none',
    // Verification must never reuse a previous frame's result.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: true,
        maxDetected: 4,
        skipFrames: 0,
        skipTime: 0,
        minConfidence: 0.3,
        return: false,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: true, modelPath: 'antispoof.json', skipFrames: 0, skipTime: 0 },
      liveness: { enabled: true, modelPath: 'liveness.json', skipFrames: 0, skipTime: 0 },
    },
  };
}

export async function loadHuman(paths: HumanPaths = resolveHumanPaths()): Promise<HumanLike> {
  const Human = await importHumanBundle(paths.humanDir);
  const server = await serveModels(paths.modelsDir);
  const listenersBefore = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  const hadDirname = '__dirname' in globalThis;
  try {
    const human = new Human(baseHumanConfig(`http://127.0.0.1:${server.port}/`, paths.wasmDir));
    human.tf.setPlatform('tillid-node', nodePlatform());
    human.tf.env().set('IS_NODE', true);
    if (!hadDirname)
      Object.defineProperty(globalThis, '__dirname', { value: paths.wasmDir, configurable: true });
    await human.load();
    if (human.tf.getBackend() !== 'wasm') {
      throw new VisionError('ERR_ENGINE_INIT', 'tfjs wasm backend did not start', {
        details: { backend: human.tf.getBackend() },
      });
    }
    return human;
  } catch (cause) {
    if (cause instanceof VisionError) throw cause;
    throw new VisionError('ERR_ENGINE_INIT', 'cannot start the face engine', { cause });
  } finally {
    if (!hadDirname) delete (globalThis as { __dirname?: string }).__dirname;
    for (const listener of process.listeners('uncaughtException')) {
      if (!listenersBefore.uncaughtException.includes(listener))
        process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!listenersBefore.unhandledRejection.includes(listener))
        process.removeListener('unhandledRejection', listener);
    }
    await server.close();
  }
}

async function importHumanBundle(humanDir: string): Promise<HumanConstructor> {
  const realVersions = process.versions;
  const descriptor = Object.getOwnPropertyDescriptor(process, 'versions');
  Object.defineProperty(process, 'versions', {
    value: { ...realVersions, node: undefined },
    configurable: true,
    writable: true,
  });
  try {
    const module = (await import(pathToFileURL(path.join(humanDir, 'dist', 'human.esm.js')).href)) as {
      Human?: HumanConstructor;
    };
    if (typeof module.Human !== 'function')
      throw new VisionError('ERR_ENGINE_INIT', 'human bundle has no Human');
    return module.Human;
  } finally {
    if (descriptor) Object.defineProperty(process, 'versions', descriptor);
  }
}

/** The tfjs platform hooks the bundle lacks in Node: only local .wasm files are read from disk. */
function nodePlatform() {
  const encoder = new TextEncoder();
  return {
    fetch: async (url: string, init?: RequestInit): Promise<Response> => {
      if (typeof url === 'string' && path.isAbsolute(url) && url.endsWith('.wasm')) {
        const bytes = await readFile(url);
        return new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
      }
      return fetch(url, init);
    },
    now: () => performance.now(),
    encode: (text: string) => encoder.encode(text),
    decode: (bytes: Uint8Array, encoding: string) => new TextDecoder(encoding).decode(bytes),
    isTypedArray: (a: unknown) =>
      types.isFloat32Array(a) ||
      types.isInt32Array(a) ||
      types.isUint8Array(a) ||
      types.isUint8ClampedArray(a),
    setTimeoutCustom: (fn: () => void, delay: number) => setTimeout(fn, delay),
  };
}

async function serveModels(modelsDir: string): Promise<{ port: number; close(): Promise<void> }> {
  const allowed = new Set(HUMAN_MODELS.flatMap((m) => [`/${m}.json`, `/${m}.bin`]));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !allowed.has(url)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    readFile(path.join(modelsDir, url.slice(1))).then(
      (bytes) => {
        res.setHeader(
          'content-type',
          url.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        res.end(bytes);
      },
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
