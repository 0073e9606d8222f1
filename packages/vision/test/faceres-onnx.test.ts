// The faceres descriptor run by onnxruntime (src/face/faceres-onnx.ts) equals the one human's own tfjs graph
// model computes from the same face crops: the threshold and the evaluation in docs/vision-eval.md carry over.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeFacesKeepingCrops, disposeCrops } from '../src/face/face-analyzer.ts';
import { OnnxFaceDescriptor } from '../src/face/faceres-onnx.ts';
import { loadHuman, resolveHumanPaths } from '../src/face/human-loader.ts';
import type { HumanLike, TensorLike } from '../src/face/human-types.ts';
import { cosineSimilarity } from '../src/face/similarity.ts';
import { decodeImage } from '../src/image/decode-image.ts';
import { Jpeg2000Codec } from '../src/image/jpeg2000.ts';
import { fixture, HELD_OUT, TUNING_FACES } from './synth/face-sets.ts';

/** The slice of tfjs used to run the original graph model here. */
interface Tf {
  io: { fromMemory(artifacts: Record<string, unknown>): unknown };
  loadGraphModel(handler: unknown): Promise<{ execute(x: TensorLike, output: string): TensorLike }>;
  expandDims(x: TensorLike, axis: number): TensorLike;
  mul(a: TensorLike, b: number): TensorLike;
  image: { resizeBilinear(x: TensorLike, size: [number, number], alignCorners: boolean): TensorLike };
}

let human: HumanLike;
let onnx: OnnxFaceDescriptor;
before(async () => {
  human = await loadHuman();
  onnx = await OnnxFaceDescriptor.load(resolveHumanPaths().modelsDir);
});
after(() => onnx.release());

test('onnxruntime and tfjs give the same faceres descriptor', async () => {
  const tf = human.tf as unknown as Tf;
  const dir = resolveHumanPaths().modelsDir;
  const json = JSON.parse(await readFile(path.join(dir, 'faceres.json'), 'utf8'));
  const bin = await readFile(path.join(dir, 'faceres.bin'));
  const tfjs = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: 'graph-model',
    }),
  );
  const codec = await Jpeg2000Codec.load();
  for (const file of [HELD_OUT.portraitJp2, HELD_OUT.webcam, TUNING_FACES[1]!.file]) {
    const faces = await analyzeFacesKeepingCrops(
      human,
      await decodeImage(fixture(file), { jpeg2000: codec }),
    );
    try {
      const crop = faces[0]?.crop;
      assert.ok(crop, file);
      const input = tf.mul(tf.image.resizeBilinear(tf.expandDims(crop, 0), [224, 224], false), 255);
      const reference = tfjs.execute(input, 'global_pooling/Mean');
      const ours = await onnx.describe(Float32Array.from(await input.data()));
      const theirs = Float32Array.from(await reference.data());
      input.dispose();
      reference.dispose();
      assert.equal(ours.length, 1024);
      const similarity = cosineSimilarity(ours, theirs);
      assert.ok(similarity > 0.99999, `${file}: cosine ${similarity}`);
    } finally {
      disposeCrops(faces);
    }
  }
});
