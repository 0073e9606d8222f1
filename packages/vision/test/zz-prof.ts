import { createVisionEngine, Jpeg2000Codec, decodeImage } from '../src/index.ts';
import { selfieLike } from './synth/face-variants.ts';
import { fixture, HELD_OUT } from './synth/face-sets.ts';
import { portraitSource } from './synth/liveness-frames.ts';
import { analyzeFaces } from '../src/face/face-analyzer.ts';
import { loadHuman } from '../src/face/human-loader.ts';
const codec = await Jpeg2000Codec.load();
const human = await loadHuman();
const dg2 = fixture(HELD_OUT.portraitJp2);
const p = await portraitSource(codec);
const selfie = await selfieLike(p, { canvas: { width: 1280, height: 720 } });
for (let i = 0; i < 4; i++) {
  let t = performance.now(); const a = codec.decode(dg2); const tj = performance.now() - t;
  t = performance.now(); await analyzeFaces(human, a, { descriptor: true, spoofScores: false }); const td = performance.now() - t;
  t = performance.now(); await analyzeFaces(human, a, { descriptor: false, spoofScores: false }); const tnd = performance.now() - t;
  t = performance.now(); const s = await decodeImage(selfie); const ts = performance.now() - t;
  console.log({ jp2: tj.toFixed(0), detectDesc: td.toFixed(0), detectNoDesc: tnd.toFixed(0), selfieDecode: ts.toFixed(0) });
}
