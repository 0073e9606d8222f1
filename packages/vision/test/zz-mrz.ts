import { writeFileSync } from 'node:fs';
import { PaddleMrzReader } from '../src/mrz/mrz-reader.ts';
import { WorkQueue } from '../src/engine/work-queue.ts';
import { cameraShot, DEFAULT_CAMERA, randomMrz, renderDocument } from './synth/mrz-render.ts';
import { prng } from './synth/face-variants.ts';
const reader = await PaddleMrzReader.load({ queue: new WorkQueue({ name: 'd', concurrency: 1, maxQueued: 1 }), maxSide: 960 });
const r = prng(7);
let ok = 0;
for (let i = 0; i < 6; i++) {
  const m = randomMrz(i % 2 ? 'TD1' : 'TD3', r);
  const frame = await cameraShot(await renderDocument(m), { ...DEFAULT_CAMERA, seed: i + 1 });
  if (i < 2) writeFileSync(`/tmp/vis/mrz${i}.jpg`, frame);
  const t = Date.now();
  try {
    const res = await reader.read(frame);
    const same = res.lines.join('\n') === m.lines.join('\n');
    if (same) ok++;
    console.log(m.format, Date.now() - t, 'ms', same, res.confidence.toFixed(3), same ? '' : `\n${m.lines.join('\n')}\n${res.lines.join('\n')}`);
  } catch (e) { console.log(m.format, Date.now() - t, 'ms FAIL', (e as Error).message, m.lines); }
}
console.log('ok', ok, process.memoryUsage().rss / 1e6);
