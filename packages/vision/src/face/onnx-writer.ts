// A minimal ONNX model writer: just enough of the protobuf wire format (varints and length-delimited
// fields) and of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto) to hand a
// converted graph to onnxruntime. Field numbers: onnx/onnx.proto (IR version 8).

import { endianness } from 'node:os';

/** Protobuf wire-format writer (proto2; only the wire types ONNX needs). */
export class ProtoWriter {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  #push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  #varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      out.push(byte);
    } while (v > 0n);
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wireType: 0 | 2 | 5): void {
    this.#varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.#tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(value.length);
    this.#push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    // Adopt the inner chunks instead of copying them: the weights are copied once, by `finish`.
    this.#tag(field, 2);
    this.#varint(inner.#length);
    for (const c of inner.#chunks) this.#push(c);
    return this;
  }

  /** Packed repeated int64. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.#varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; ints: readonly number[] }
  | { name: string; string: string };

export interface OnnxNode {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  /** Stored as raw little-endian data (TensorProto.raw_data). */
  data: Float32Array | BigInt64Array;
}

export interface OnnxValue {
  name: string;
  /** A string is a symbolic dimension (e.g. a batch size). */
  dims: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
  opset: number;
}

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

/** Serialises a float32 graph as an ONNX ModelProto. */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const valueInfo = (w: ProtoWriter, v: OnnxValue) =>
    w.string(1, v.name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, FLOAT).message(2, (shape) => {
          for (const d of v.dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
          }
        }),
      ),
    );
  return new ProtoWriter()
    .int(1, 8) // ir_version
    .string(2, 'tillid-vision')
    .message(7, (g) => {
      for (const n of graph.nodes) {
        g.message(1, (node) => {
          for (const i of n.inputs) node.string(1, i);
          for (const o of n.outputs) node.string(2, o);
          node.string(3, n.name).string(4, n.op);
          for (const a of n.attributes ?? []) {
            node.message(5, (attr) => {
              attr.string(1, a.name);
              if ('int' in a) attr.int(3, a.int).int(20, ATTR_INT);
              else if ('ints' in a) attr.packedInts(8, a.ints).int(20, ATTR_INTS);
              else attr.string(4, a.string).int(20, ATTR_STRING);
            });
          }
        });
      }
      g.string(2, graph.name);
      for (const t of graph.initializers) {
        g.message(5, (tensor) => {
          tensor.packedInts(1, t.dims).int(2, t.data instanceof Float32Array ? FLOAT : INT64);
          tensor.string(8, t.name);
          tensor.bytes(9, littleEndianBytes(t.data));
        });
      }
      for (const v of graph.inputs) g.message(11, (w) => valueInfo(w, v));
      for (const v of graph.outputs) g.message(12, (w) => valueInfo(w, v));
    })
    .message(8, (opset) => opset.string(1, '').int(2, graph.opset))
    .finish();
}

function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (endianness() === 'LE') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) for (const [i, v] of data.entries()) view.setFloat32(4 * i, v, true);
  else for (const [i, v] of data.entries()) view.setBigInt64(8 * i, v, true);
  return out;
}
