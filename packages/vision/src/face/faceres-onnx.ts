// human's faceres descriptor model (a MobileNet v1 from HSE_FaceRec_tf, shipped as a tfjs graph model in
// @vladmandic/human/models) converted at load time to ONNX and run by onnxruntime-node's native CPU
// kernels: ~5x less CPU than the same graph on tfjs' single-threaded wasm backend, same weights, same
// descriptor (cosine ≥ 0.9999 to tfjs', checked in test/faceres-onnx.test.ts). Only the layers up to the
// 1024-float descriptor (global_pooling/Mean) are converted; the age/gender heads are not needed.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { VisionError } from '../errors.ts';
import { encodeOnnxModel, type OnnxNode, type OnnxTensor } from './onnx-writer.ts';

/** Input side of the descriptor model, pixels. */
export const FACERES_INPUT = 224;
export const DESCRIPTOR_NODE = 'global_pooling/Mean';

interface TfjsNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<
    string,
    { list?: { i?: string[] }; s?: string; b?: boolean; shape?: { dim?: { size: string }[] } }
  >;
}

interface TfjsWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: string };
}

export interface TfjsGraphModel {
  modelTopology: { node: TfjsNode[] };
  weightsManifest: { paths: string[]; weights: TfjsWeight[] }[];
}

const failed = (message: string, details?: Record<string, unknown>): never => {
  throw new VisionError('ERR_ENGINE_INIT', message, details ? { details } : undefined);
};

/** IEEE 754 half → single precision (tfjs stores faceres' weights as float16). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Every half value, once per conversion: 3.5 M weights are then table look-ups. */
function halfTable(): Float32Array {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = halfToFloat(h);
  return table;
}

/** The weights of a tfjs graph model by name, dequantised to float32 (int32 tensors as numbers). */
export function readTfjsWeights(
  model: TfjsGraphModel,
  bin: Uint8Array,
): Map<string, { shape: number[]; values: Float32Array | Int32Array }> {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const out = new Map<string, { shape: number[]; values: Float32Array | Int32Array }>();
  const half = halfTable();
  const manifest = model.weightsManifest.flatMap((g) => g.weights);
  // One block for every float weight: a single large allocation goes back to the system when freed,
  // many medium ones stay in the allocator's heap (measured: tens of MB of resident memory).
  const floats = new Float32Array(
    manifest
      .filter((w) => w.dtype === 'float32')
      .reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0),
  );
  let floatAt = 0;
  let at = 0;
  for (const w of manifest) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization?.dtype;
    const size = q === 'float16' ? 2 : q === undefined ? 4 : failed('unsupported weight quantization', { q });
    if (at + count * size > bin.byteLength) failed('model weights are truncated', { weight: w.name });
    let values: Float32Array | Int32Array;
    if (w.dtype === 'int32' && q === undefined) {
      values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = view.getInt32(at + 4 * i, true);
    } else if (w.dtype === 'float32') {
      values = floats.subarray(floatAt, floatAt + count);
      floatAt += count;
      for (let i = 0; i < count; i++) {
        values[i] =
          q === 'float16' ? half[view.getUint16(at + 2 * i, true)]! : view.getFloat32(at + 4 * i, true);
      }
    } else {
      return failed('unsupported weight type', { dtype: w.dtype });
    }
    out.set(w.name, { shape: w.shape, values });
    at += count * size;
  }
  return out;
}

/**
 * Converts the faceres graph (NHWC, TensorFlow ops) to an ONNX graph (NCHW): the NHWC input is
 * transposed once, convolution kernels are permuted HWIO → OIHW (depthwise HWC1 → C1HW, one group per
 * channel), per-channel constants become [C,1,1], TF "SAME" padding is ONNX SAME_UPPER (the extra pixel
 * at the end). Any op outside the small set below fails the conversion rather than guessing.
 */
export function faceresToOnnx(model: TfjsGraphModel, bin: Uint8Array): Uint8Array {
  const weights = readTfjsWeights(model, bin);
  const byName = new Map(model.modelTopology.node.map((n) => [n.name, n]));
  // Only the descriptor's ancestors, in topological order.
  const needed: TfjsNode[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const clean = name.replace(/:\d+$/, '');
    if (seen.has(clean)) return;
    seen.add(clean);
    const node = byName.get(clean) ?? failed('faceres graph refers to a missing node', { name });
    for (const i of node.input ?? []) visit(i);
    needed.push(node);
  };
  visit(DESCRIPTOR_NODE);

  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const isConv = (n: TfjsNode) => n.op === 'Conv2D' || n.op === 'DepthwiseConv2dNative';
  const kernelBlock = new Float32Array(
    needed.filter(isConv).reduce((sum, n) => sum + (weights.get(n.input?.[1] ?? '')?.values.length ?? 0), 0),
  );
  let kernelAt = 0;
  let inputName = '';
  let inputDims: (number | string)[] = [];
  const ints = (n: TfjsNode, key: string) => (n.attr?.[key]?.list?.i ?? []).map(Number);
  const padding = (n: TfjsNode) => Buffer.from(n.attr?.padding?.s ?? '', 'base64').toString('latin1');
  const constant = (name: string) => weights.get(name) ?? failed('faceres weight missing', { name });
  const floatInit = (name: string, dims: number[], values: Float32Array) =>
    initializers.push({ name, dims, data: values });

  for (const n of needed) {
    const inputs = (n.input ?? []).map((i) => i.replace(/:\d+$/, ''));
    switch (n.op) {
      case 'Const':
        break; // emitted by their consumers, in the layout each one needs
      case 'Placeholder':
        inputName = n.name;
        inputDims = (n.attr?.shape?.shape?.dim ?? []).map((d) =>
          Number(d.size) > 0 ? Number(d.size) : 'batch',
        );
        if (inputDims.length !== 4) failed('faceres input must be NHWC', { dims: inputDims });
        nodes.push({
          op: 'Transpose',
          name: `${n.name}/nchw`,
          inputs: [n.name],
          outputs: [`${n.name}/nchw`],
          attributes: [{ name: 'perm', ints: [0, 3, 1, 2] }],
        });
        break;
      case 'Conv2D':
      case 'DepthwiseConv2dNative': {
        const [x, k] = inputs as [string, string];
        const kernel = constant(k);
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const depthwise = n.op === 'DepthwiseConv2dNative';
        const outChannels = depthwise ? cin * cout : cout;
        const perChannelIn = depthwise ? 1 : cin;
        const oihw = kernelBlock.subarray(kernelAt, kernelAt + kernel.values.length);
        kernelAt += kernel.values.length;
        for (let h = 0; h < kh; h++)
          for (let w = 0; w < kw; w++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) {
                const src = ((h * kw + w) * cin + i) * cout + o;
                // Depthwise: output channel i*multiplier + o reads input channel i only.
                const outC = depthwise ? i * cout + o : o;
                const inC = depthwise ? 0 : i;
                oihw[((outC * perChannelIn + inC) * kh + h) * kw + w] = kernel.values[src]!;
              }
        floatInit(`${k}/oihw`, [outChannels, perChannelIn, kh, kw], oihw);
        const strides = ints(n, 'strides');
        const dilations = ints(n, 'dilations');
        const pad = padding(n);
        if (pad !== 'SAME' && pad !== 'VALID') failed('unsupported padding', { node: n.name, pad });
        nodes.push({
          op: 'Conv',
          name: n.name,
          inputs: [tensorOf(x, byName), `${k}/oihw`],
          outputs: [n.name],
          attributes: [
            { name: 'kernel_shape', ints: [kh, kw] },
            { name: 'strides', ints: [strides[1] ?? 1, strides[2] ?? 1] },
            { name: 'dilations', ints: [dilations[1] ?? 1, dilations[2] ?? 1] },
            { name: 'group', int: depthwise ? cin : 1 },
            { name: 'auto_pad', string: pad === 'SAME' ? 'SAME_UPPER' : 'VALID' },
          ],
        });
        break;
      }
      case 'Add':
      case 'Mul':
      case 'Minimum':
      case 'Maximum': {
        const op = { Add: 'Add', Mul: 'Mul', Minimum: 'Min', Maximum: 'Max' }[n.op];
        const operands = inputs.map((i) => {
          if (byName.get(i)?.op !== 'Const') return tensorOf(i, byName);
          const c = constant(i);
          if (!(c.values instanceof Float32Array)) return failed('integer operand', { node: n.name });
          // NHWC per-channel vectors broadcast over the last axis; in NCHW they are [C,1,1].
          floatInit(`${i}/nchw`, c.shape.length === 1 ? [c.shape[0]!, 1, 1] : c.shape, c.values);
          return `${i}/nchw`;
        });
        nodes.push({ op, name: n.name, inputs: operands, outputs: [n.name] });
        break;
      }
      case 'Relu':
        nodes.push({ op: 'Relu', name: n.name, inputs: [tensorOf(inputs[0]!, byName)], outputs: [n.name] });
        break;
      case 'Mean': {
        const axes = [...constant(inputs[1]!).values];
        if (axes.join() !== '1,2' || n.attr?.keep_dims?.b) failed('unsupported Mean', { node: n.name });
        nodes.push({
          op: 'ReduceMean',
          name: n.name,
          inputs: [tensorOf(inputs[0]!, byName)],
          outputs: [n.name],
          attributes: [
            { name: 'axes', ints: [2, 3] },
            { name: 'keepdims', int: 0 },
          ],
        });
        break;
      }
      default:
        failed('unsupported op in the faceres graph', { op: n.op, node: n.name });
    }
  }
  if (!inputName) failed('faceres graph has no input');
  return encodeOnnxModel({
    name: 'faceres-descriptor',
    nodes,
    initializers,
    inputs: [{ name: inputName, dims: inputDims }],
    outputs: [{ name: DESCRIPTOR_NODE, dims: ['batch', 'features'] }],
    // ReduceMean takes `axes` as an attribute up to opset 17.
    opset: 13,
  });
}

/** The placeholder is consumed in its transposed (NCHW) form. */
function tensorOf(name: string, byName: Map<string, TfjsNode>): string {
  return byName.get(name)?.op === 'Placeholder' ? `${name}/nchw` : name;
}

export interface OnnxDescriptorOptions {
  /** onnxruntime intra-op threads; 1 keeps one request on one core (the server's CPU budget). */
  threads: number;
}

/** The faceres descriptor on onnxruntime: one session, loaded once, shared by the engine's face queue. */
export class OnnxFaceDescriptor {
  readonly #session: ort.InferenceSession;
  readonly #input: string;

  private constructor(session: ort.InferenceSession) {
    this.#session = session;
    this.#input = session.inputNames[0]!;
  }

  static async load(modelsDir: string, options: OnnxDescriptorOptions = { threads: 1 }) {
    try {
      const json = JSON.parse(await readFile(path.join(modelsDir, 'faceres.json'), 'utf8')) as TfjsGraphModel;
      const bin = new Uint8Array(await readFile(path.join(modelsDir, 'faceres.bin')));
      const session = await ort.InferenceSession.create(faceresToOnnx(json, bin), {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        // Fixed input size: the arena reaches its size on the first call and stays there.
        enableCpuMemArena: true,
      });
      return new OnnxFaceDescriptor(session);
    } catch (cause) {
      if (cause instanceof VisionError) throw cause;
      throw new VisionError('ERR_ENGINE_INIT', 'cannot load the face descriptor model', { cause });
    }
  }

  /** Descriptor of one 224x224 RGB crop, NHWC floats in 0-255 (human's faceres input). */
  async describe(pixels: Float32Array): Promise<Float32Array> {
    if (pixels.length !== FACERES_INPUT * FACERES_INPUT * 3) {
      throw new VisionError('ERR_USAGE', 'descriptor input must be 224x224x3');
    }
    const input = new ort.Tensor('float32', pixels, [1, FACERES_INPUT, FACERES_INPUT, 3]);
    const out = await this.#session.run({ [this.#input]: input });
    const result = out[DESCRIPTOR_NODE];
    try {
      if (result?.type !== 'float32') throw new VisionError('ERR_ENGINE_FAILED', 'no descriptor output');
      return Float32Array.from(result.data as Float32Array);
    } finally {
      input.dispose();
      for (const t of Object.values(out)) t.dispose();
    }
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}
