// A synthetic camera for the end-to-end tests, injected into the page before the app loads: it replaces
// getUserMedia with a canvas stream that shows prepared JPEG frames. What it shows follows the screen, as
// a person would: the passport's data page (for the MRZ scan), or the synthetic face in the pose that the
// liveness instruction on screen asks for ([data-liveness-step]); a plain look at the camera otherwise.
// The frames themselves are made in Node by packages/vision/test/synth (a warped ICAO sample portrait and
// a rendered data page): see docs/vision.md for what such synthetic frames do and do not test.

export interface FakeCameraScenes {
  /** data: URLs of JPEG/PNG frames by scene: 'mrz', 'neutral', 'turn-left', 'turn-right', 'look-up', 'move-closer'. */
  readonly [scene: string]: string;
}

/** Runs in the page (serialised by Playwright's addInitScript): no closures over Node values. */
export function installFakeCamera(scenes: FakeCameraScenes): void {
  const images = new Map<string, HTMLImageElement>();
  for (const [name, url] of Object.entries(scenes)) {
    const img = new Image();
    img.src = url;
    images.set(name, img);
  }
  const sceneNow = (): string => {
    const step = document.querySelector<HTMLElement>('[data-liveness-step]')?.dataset.livenessStep;
    if (step) return step;
    const screen = document.querySelector<HTMLElement>('.app')?.dataset.screen;
    return screen === 'mrzScan' ? 'mrz' : 'neutral';
  };
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 960;
  const ctx = canvas.getContext('2d');
  const draw = () => {
    const img = images.get(sceneNow());
    if (!ctx || !img?.complete || img.naturalWidth === 0) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const scale = Math.min(canvas.width / img.naturalWidth, canvas.height / img.naturalHeight);
    const w = img.naturalWidth * scale;
    const h = img.naturalHeight * scale;
    ctx.drawImage(img, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
  };
  setInterval(draw, 50);
  const fake = async (constraints?: MediaStreamConstraints): Promise<MediaStream> => {
    if (!constraints?.video) throw new DOMException('only video is faked', 'NotFoundError');
    draw();
    return canvas.captureStream(20);
  };
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: fake, enumerateDevices: async () => [] },
  });
}

/**
 * The init script's source. Built from the function's text, with a stand-in for the `__name` helper that
 * tsx (esbuild, keepNames) inserts into transpiled functions and that does not exist in the page.
 */
export function fakeCameraScript(scenes: FakeCameraScenes): string {
  return `(() => { const __name = (f) => f; (${installFakeCamera.toString()})(${JSON.stringify(scenes)}); })();`;
}
