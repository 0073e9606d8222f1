// The narrow slice of @vladmandic/human's API this package uses, typed here because the package
// is loaded by file path (its "exports" map is malformed) and its bundled typings are not reachable.

export type Point3 = [number, number, number];

export interface HumanFace {
  score: number;
  boxScore: number;
  faceScore: number;
  /** [x, y, width, height] in input pixels */
  box: [number, number, number, number];
  mesh: Point3[];
  embedding?: number[];
  real?: number;
  live?: number;
  /** The straightened face crop (0-1 floats) the descriptor models read; only with `detector.return`. */
  tensor?: TensorLike;
  rotation?: {
    angle: { roll: number; yaw: number; pitch: number };
    gaze: { bearing: number; strength: number };
  } | null;
}

export interface HumanResult {
  face: HumanFace[];
}

export interface TensorLike {
  readonly shape: number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** A loaded tfjs graph model (human keeps one per enabled model). */
export interface GraphModelLike {
  readonly inputs: { shape?: number[] }[];
  execute(input: TensorLike): TensorLike | TensorLike[];
}

export interface TfLike {
  tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): TensorLike;
  getBackend(): string;
  setPlatform(name: string, platform: unknown): void;
  env(): { set(flag: string, value: unknown): void };
  memory(): { numTensors: number; numBytes: number };
  expandDims(x: TensorLike, axis?: number): TensorLike;
  mul(a: TensorLike, b: TensorLike | number): TensorLike;
  image: { resizeBilinear(x: TensorLike, size: [number, number], alignCorners?: boolean): TensorLike };
}

export interface HumanLike {
  tf: TfLike;
  version: string;
  /** human's loaded models by name (faceres, antispoof, liveness, ...). */
  models: { models: Record<string, GraphModelLike | null | undefined> };
  load(): Promise<void>;
  detect(
    input: TensorLike,
    config?: Record<string, unknown>,
  ): Promise<HumanResult | { error: string | null }>;
}

export type HumanConstructor = new (config: Record<string, unknown>) => HumanLike;
