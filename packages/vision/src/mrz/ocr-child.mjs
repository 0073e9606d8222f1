// The OCR child process (see ocr-process.ts): loads PaddleOCR (onnxruntime-node + OpenCV.js) and
// answers { id, png } with the text lines it finds. Plain JavaScript on purpose: it runs in a bare
// `node` child, without the TypeScript loader (whose esbuild service would cost memory here too).
// Messages: parent → { id, png: Uint8Array }; child → { ready: true } | { id, lines, rss } | { id, error }.

import Ocr from '@gutenye/ocr-node';

const threads = Number(process.env.TILLID_OCR_THREADS ?? '2');

let ocr;
try {
  ocr = await Ocr.create({
    onnxOptions: {
      // No arena: it would keep the peak of the largest frame; the process is recycled instead.
      enableCpuMemArena: false,
      enableMemPattern: false,
      executionMode: 'sequential',
      intraOpNumThreads: Number.isInteger(threads) && threads > 0 ? threads : 2,
      interOpNumThreads: 1,
    },
  });
} catch (error) {
  process.send?.({ failed: String(error?.message ?? error) });
  process.exit(1);
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  const { id, png } = message ?? {};
  if (typeof id !== 'number' || !(png instanceof Uint8Array)) return;
  try {
    const found = await ocr.detect(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    const lines = found.map((l) => ({ text: String(l.text), mean: Number(l.mean), box: l.box }));
    process.send?.({ id, lines, rss: process.memoryUsage().rss });
  } catch (error) {
    process.send?.({ id, error: String(error?.message ?? error), rss: process.memoryUsage().rss });
  }
});
process.send?.({ ready: true });
