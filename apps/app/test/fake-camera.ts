// A synthetic camera for the end-to-end tests, injected into the page before the app loads: it replaces
// getUserMedia with a canvas stream that shows prepared JPEG frames. What it shows follows the screen, as
// a person would: the passport's data page (for the MRZ scan), or the synthetic face in the pose that the
// liveness instruction on screen asks for ([data-liveness-step]), what a QR scanner points at
// ([data-camera-scene], e.g. the other phone's screen, set by the test at run time with setCameraScene);
// a plain look at the camera otherwise.
// The frames themselves are made in Node by packages/vision/test/synth (a warped ICAO sample portrait and
// a rendered data page): see docs/vision.md for what such synthetic frames do and do not test.

export interface FakeCameraScenes {
  /** data: URLs of JPEG/PNG frames by scene: 'mrz', 'neutral', 'turn-left', 'turn-right', 'look-up', 'move-closer'. */
  readonly [scene: string]: string;
}

/** Runs in the page (serialised by Playwright's addInitScript): no closures over Node values. */
export function installFakeCamera(scenes: FakeCameraScenes): void {
  const images = new Map<string, HTMLImageElement>();
  const setScene = (name: string, url: string): Promise<void> => {
    const img = new Image();
    const loaded = new Promise<void>((resolve) => {
      img.onload = () => resolve();
      img.onerror = () => resolve();
    });
    img.src = url;
    images.set(name, img);
    return loaded;
  };
  for (const [name, url] of Object.entries(scenes)) void setScene(name, url);
  // The test shows this camera something new while the page runs (the other phone's QR code).
  Object.defineProperty(window, '__tillidFakeCamera', { value: { setScene }, configurable: true });
  const sceneNow = (): { name: string; handHeld: boolean } => {
    const step = document.querySelector<HTMLElement>('[data-liveness-step]')?.dataset.livenessStep;
    if (step) return { name: step, handHeld: false };
    const wanted = document.querySelector<HTMLElement>('[data-camera-scene]')?.dataset.cameraScene;
    if (wanted) return { name: wanted, handHeld: true };
    const screen = document.querySelector<HTMLElement>('.app')?.dataset.screen;
    return { name: screen === 'mrzScan' ? 'mrz' : 'neutral', handHeld: false };
  };
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 960;
  const ctx = canvas.getContext('2d');
  const draw = () => {
    const scene = sceneNow();
    const img = images.get(scene.name);
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!img?.complete || img.naturalWidth === 0) return;
    const scale = Math.min(canvas.width / img.naturalWidth, canvas.height / img.naturalHeight);
    const w = img.naturalWidth * scale;
    const h = img.naturalHeight * scale;
    // A phone held up to another phone's screen sways a few degrees (the QR decoder meets many angles,
    // as with a real hand; a perfectly square still picture is what no camera gives).
    const sway = scene.handHeld ? (8 * Math.sin(performance.now() / 600) * Math.PI) / 180 : 0;
    ctx.save();
    ctx.translate(canvas.width / 2, canvas.height / 2);
    ctx.rotate(sway);
    ctx.drawImage(img, -w / 2, -h / 2, w, h);
    ctx.restore();
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

/** Shows the phone's camera a new picture for a scene (a data: URL), e.g. the QR code on another phone. */
export async function setCameraScene(
  page: { evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> },
  scene: string,
  url: string,
): Promise<void> {
  await page.evaluate(
    ([name, src]) =>
      (
        window as unknown as { __tillidFakeCamera: { setScene(n: string, u: string): Promise<void> } }
      ).__tillidFakeCamera.setScene(name, src),
    [scene, url] as const,
  );
}
