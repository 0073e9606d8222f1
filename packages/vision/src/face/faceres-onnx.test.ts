// The tfjs → ONNX conversion on a small graph with every op faceres uses (NHWC convolution with TF "SAME"
// padding at stride 2, depthwise convolution, per-channel Add/Mul, Relu, clip, spatial Mean), run by
// onnxruntime and compared with a direct computation. The real faceres model is checked against human's
// own tfjs descriptors in test/faceres-onnx.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { isVisionError } from '../errors.ts';
import { DESCRIPTOR_NODE, faceresToOnnx, readTfjsWeights, type TfjsGraphModel } from './faceres-onnx.ts';

/** float → IEEE half for the exactly representable values used here. */
function toHalf(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

const H = 6;
const C_IN = 2;
const C = 3;
// Small exact values (multiples of 1/4) so float16 storage loses nothing.
const q = (i: number, k: number) => (((i * 7 + k * 3) % 9) - 4) / 4;
const kernel = Array.from({ length: 3 * 3 * C_IN * C }, (_, i) => q(i, 1));
const bias = [0.5, -0.25, 1];
const dwKernel = Array.from({ length: 3 * 3 * C }, (_, i) => q(i, 2));
const scale = [1, 0.5, -2];

const weights = [
  { name: 'k', shape: [3, 3, C_IN, C], values: kernel },
  { name: 'b', shape: [C], values: bias },
  { name: 'six', shape: [], values: [6] },
  { name: 'zero', shape: [], values: [0] },
  { name: 'dw', shape: [3, 3, C, 1], values: dwKernel },
  { name: 's', shape: [C], values: scale },
];

function model(extraOp?: string): { json: TfjsGraphModel; bin: Uint8Array } {
  const halves = weights.flatMap((w) => w.values.map(toHalf));
  const bin = new Uint8Array(halves.length * 2 + 8);
  const view = new DataView(bin.buffer);
  halves.forEach((h, i) => {
    view.setUint16(2 * i, h, true);
  });
  view.setInt32(halves.length * 2, 1, true);
  view.setInt32(halves.length * 2 + 4, 2, true);
  const same = { s: Buffer.from('SAME').toString('base64') };
  const json: TfjsGraphModel = {
    modelTopology: {
      node: [
        ...weights.map((w) => ({ name: w.name, op: 'Const' })),
        { name: 'axes', op: 'Const' },
        {
          name: 'input',
          op: 'Placeholder',
          attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '6' }, { size: '6' }, { size: '2' }] } } },
        },
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['input', 'k'],
          attr: { strides: { list: { i: ['1', '2', '2', '1'] } }, padding: same },
        },
        { name: 'add', op: 'Add', input: ['conv', 'b'] },
        { name: 'relu', op: extraOp ?? 'Relu', input: ['add'] },
        { name: 'min', op: 'Minimum', input: ['relu', 'six'] },
        { name: 'max', op: 'Maximum', input: ['min', 'zero'] },
        {
          name: 'dwconv',
          op: 'DepthwiseConv2dNative',
          input: ['max', 'dw'],
          attr: { strides: { list: { i: ['1', '1', '1', '1'] } }, padding: same },
        },
        { name: 'mul', op: 'Mul', input: ['dwconv', 's'] },
        { name: DESCRIPTOR_NODE, op: 'Mean', input: ['mul', 'axes'], attr: { keep_dims: { b: false } } },
        { name: 'unused', op: 'Sigmoid', input: [DESCRIPTOR_NODE] },
      ],
    },
    weightsManifest: [
      {
        paths: ['test.bin'],
        weights: [
          ...weights.map((w) => ({
            name: w.name,
            shape: w.shape,
            dtype: 'float32' as const,
            quantization: { dtype: 'float16' },
          })),
          { name: 'axes', shape: [2], dtype: 'int32' as const },
        ],
      },
    ],
  };
  return { json, bin };
}

/** Direct NHWC computation with TF "SAME" padding (extra pixel at the end). */
function reference(input: Float32Array): number[] {
  const conv = (
    x: number[],
    size: number,
    cin: number,
    cout: number,
    k: number[],
    stride: number,
    depthwise: boolean,
  ) => {
    const out = Math.ceil(size / stride);
    const padBefore = Math.floor(Math.max((out - 1) * stride + 3 - size, 0) / 2);
    const y = new Array<number>(out * out * cout).fill(0);
    for (let oy = 0; oy < out; oy++)
      for (let ox = 0; ox < out; ox++)
        for (let o = 0; o < cout; o++) {
          let sum = 0;
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * stride + ky - padBefore;
              const ix = ox * stride + kx - padBefore;
              if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
              if (depthwise) sum += x[(iy * size + ix) * cin + o]! * k[(ky * 3 + kx) * cin + o]!;
              else
                for (let i = 0; i < cin; i++)
                  sum += x[(iy * size + ix) * cin + i]! * k[((ky * 3 + kx) * cin + i) * cout + o]!;
            }
          y[(oy * out + ox) * cout + o] = sum;
        }
    return { y, out };
  };
  const a = conv([...input], H, C_IN, C, kernel, 2, false);
  const act = a.y.map((v, i) => Math.max(Math.min(Math.max(v + bias[i % C]!, 0), 6), 0));
  const b = conv(act, a.out, C, C, dwKernel, 1, true);
  const mean = new Array<number>(C).fill(0);
  b.y.forEach((v, i) => {
    mean[i % C]! += (v * scale[i % C]!) / (b.out * b.out);
  });
  return mean;
}

test('float16 weights dequantise exactly', () => {
  const { json, bin } = model();
  const w = readTfjsWeights(json, bin);
  assert.deepEqual([...w.get('b')!.values], bias);
  assert.deepEqual([...w.get('s')!.values], scale);
  assert.deepEqual([...w.get('axes')!.values], [1, 2]);
});

test('the converted graph computes what the TensorFlow graph means', async () => {
  const { json, bin } = model();
  const session = await ort.InferenceSession.create(faceresToOnnx(json, bin));
  try {
    const input = Float32Array.from({ length: H * H * C_IN }, (_, i) => ((i * 13) % 17) / 8 - 1);
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, H, H, C_IN]) });
    const got = [...(out[DESCRIPTOR_NODE]!.data as Float32Array)];
    const want = reference(input);
    assert.equal(got.length, C);
    for (const [i, v] of got.entries())
      assert.ok(Math.abs(v - want[i]!) < 1e-5, `channel ${i}: ${v} vs ${want[i]}`);
  } finally {
    await session.release();
  }
});

test('an op outside the supported set fails the conversion with a typed error', () => {
  const { json, bin } = model('Elu');
  assert.throws(
    () => faceresToOnnx(json, bin),
    (e) => isVisionError(e, 'ERR_ENGINE_INIT'),
  );
  assert.throws(
    () => readTfjsWeights(json, bin.subarray(0, 10)),
    (e) => isVisionError(e, 'ERR_ENGINE_INIT'),
  );
});
