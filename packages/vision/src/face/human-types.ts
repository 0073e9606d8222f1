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
  rotation?: {
    angle: { roll: number; yaw: number; pitch: number };
    gaze: { bearing: number; strength: number };
  } | null;
}

export interface HumanResult {
  face: HumanFace[];
}

export interface TensorLike {
  dispose(): void;
}

export interface TfLike {
  tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): TensorLike;
  getBackend(): string;
  setPlatform(name: string, platform: unknown): void;
  env(): { set(flag: string, value: unknown): void };
  memory(): { numTensors: number; numBytes: number };
}

export interface HumanLike {
  tf: TfLike;
  version: string;
  load(): Promise<void>;
  detect(
    input: TensorLike,
    config?: Record<string, unknown>,
  ): Promise<HumanResult | { error: string | null }>;
}

export type HumanConstructor = new (config: Record<string, unknown>) => HumanLike;
