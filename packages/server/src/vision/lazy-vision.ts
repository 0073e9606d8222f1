// The vision models take seconds to load and hundreds of MB: the server starts serving at once and loads
// them in the background, once. Until they are ready (or if loading failed) the face and OCR steps answer
// ERR_VISION_UNAVAILABLE (503) instead of blocking.
import type { VisionEngine } from '@tillid/vision';
import type { VisionPorts } from '../enrollment/enrollment-context.ts';
import { ServerError } from '../errors.ts';

export interface LazyVision {
  readonly ports: VisionPorts;
  readonly ready: Promise<boolean>;
  close(): void;
}

export function lazyVision(load: () => Promise<VisionEngine>, onError: (e: unknown) => void): LazyVision {
  let engine: VisionEngine | undefined;
  let closed = false;
  const ready = load().then(
    (e) => {
      if (closed) e.close();
      else engine = e;
      return !closed;
    },
    (e: unknown) => {
      onError(e);
      return false;
    },
  );
  const get = (): VisionEngine => {
    if (!engine) {
      throw new ServerError('ERR_VISION_UNAVAILABLE', 'face checks are starting up; try again in a moment', {
        status: 503,
        messageId: 'error.vision.unavailable',
        details: { retryAfterSeconds: 5 },
      });
    }
    return engine;
  };
  const ports: VisionPorts = {
    get faceThreshold() {
      return get().faceThreshold;
    },
    faceMatcher: {
      referenceTemplate: (image) => get().faceMatcher.referenceTemplate(image),
      probeTemplate: (image) => get().faceMatcher.probeTemplate(image),
      compare: (a, b) => get().faceMatcher.compare(a, b),
      verify: (a, b) => get().faceMatcher.verify(a, b),
    },
    liveness: {
      createChallenge: () => get().liveness.createChallenge(),
      verify: (input) => get().liveness.verify(input),
    },
    mrz: { read: (frame) => get().mrz.read(frame) },
  };
  return {
    ports,
    ready,
    close: () => {
      closed = true;
      engine?.close();
      engine = undefined;
    },
  };
}
