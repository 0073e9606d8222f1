import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { loadHuman } from '../src/face/human-loader.ts';
import { analyzeFaces } from '../src/face/face-analyzer.ts';
import { Jpeg2000Codec } from '../src/image/jpeg2000.ts';
import { turnHead } from './synth/warp.ts';
const human = await loadHuman();
const codec = await Jpeg2000Codec.load();
const dg2 = codec.decode(readFileSync('/work/main/packages/mrtd/test/fixtures/iso39794/ICAO_39794_5_AP_Face.jpg'));
const { data, info } = await sharp(dg2.data, { raw: { width: dg2.width, height: dg2.height, channels: 3 } }).resize({ height: 420 }).extend({ top: 150, bottom: 70, left: 160, right: 160, background: '#7a8088' }).raw().toBuffer({ resolveWithObject: true });
const img = { data: new Uint8Array(data), width: info.width, height: info.height };
const [f] = await analyzeFaces(human, img, { descriptor: true, spoofScores: true });
const fmt = (o: any) => o && `yaw ${o.yaw.toFixed(1)} pitch ${o.pitch.toFixed(1)} roll ${o.roll.toFixed(1)} eye ${o.eyeOpenness.toFixed(2)} w ${o.widthRatio.toFixed(2)} real ${o.real} live ${o.live}`;
console.log('orig', img.width, img.height, fmt(f), f!.box);
for (const p of [{ yawDeg: 30 }, { yawDeg: -30 }, { yawDeg: 50 }, { yawDeg: -50 }, { pitchDeg: 25 }, { pitchDeg: 40 }, { pitchDeg: -25 }]) {
  const t = turnHead(img, f!.box, p);
  const [g] = await analyzeFaces(human, t, { descriptor: true, spoofScores: true });
  console.log(JSON.stringify(p), fmt(g));
  await sharp(t.data, { raw: { width: t.width, height: t.height, channels: 3 } }).png().toFile(`/tmp/vis/pose_${p.yawDeg ?? 0}_${p.pitchDeg ?? 0}.png`);
}
