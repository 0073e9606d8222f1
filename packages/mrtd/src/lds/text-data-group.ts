// The shared shape of DG11 and DG12: a tag list (5C) then optional text, date and image data objects,
// plus one counted list in an A0 template (ICAO 9303-10 §4.7.11, §4.7.12).

import { decodeInteger } from '../asn1/der.ts';
import { der } from '../asn1/der-writer.ts';
import { concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, encodeConstructed, encodeTag, encodeTlv, findTlv, type Tlv } from '../tlv/tlv.ts';
import { decodeText, encodeText, ldsGuard, unwrapFile } from './lds-text.ts';

export type FieldKind = 'text' | 'date' | 'bytes';

export interface FieldSpec {
  readonly key: string;
  readonly tag: number;
  readonly kind: FieldKind;
}

export interface ListSpec {
  readonly key: string;
  /** The tag of each element inside the A0 template. */
  readonly tag: number;
}

const LIST_TEMPLATE = 0xa0;

/** Dates are 'yyyymmdd' (or longer digit strings); some chips store them as BCD, which is read back as digits. */
function decodeDate(value: Uint8Array): string {
  if (value.every((b) => b >= 0x30 && b <= 0x39)) return decodeText(value);
  if (value.every((b) => b >> 4 <= 9 && (b & 0x0f) <= 9)) {
    return [...value].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return decodeText(value);
}

export function decodeTextDataGroup(
  bytes: Uint8Array,
  spec: { tag: number; what: string; fields: readonly FieldSpec[]; list: ListSpec },
): Record<string, unknown> {
  const file = unwrapFile(bytes, spec.tag, spec.what);
  return ldsGuard(spec.what, () => {
    const children = childrenOf(file);
    const out: Record<string, unknown> = {};
    for (const f of spec.fields) {
      const t = findTlv(children, f.tag);
      if (t === undefined) continue;
      out[f.key] =
        f.kind === 'bytes' ? t.value.slice() : f.kind === 'date' ? decodeDate(t.value) : decodeText(t.value);
    }
    const items: Tlv[] = children.filter((c) => c.tag === spec.list.tag);
    const template = findTlv(children, LIST_TEMPLATE);
    if (template !== undefined) {
      const inner = childrenOf(template);
      const count = findTlv(inner, 0x02);
      const listed = inner.filter((c) => c.tag === spec.list.tag);
      if (count !== undefined && decodeInteger(count.value, 'ERR_LDS_FORMAT') !== listed.length) {
        throw new MrtdError('ERR_LDS_FORMAT', `${spec.what}: list count does not match its entries`);
      }
      items.push(...listed);
    }
    if (items.length > 0) out[spec.list.key] = items.map((t) => decodeText(t.value));
    return out;
  });
}

export function encodeTextDataGroup(
  data: Readonly<Record<string, unknown>>,
  spec: { tag: number; what: string; fields: readonly FieldSpec[]; list: ListSpec },
): Uint8Array {
  const objects: Uint8Array[] = [];
  const tags: number[] = [];
  for (const f of spec.fields) {
    const v = data[f.key];
    if (v === undefined) continue;
    if (f.kind === 'bytes') {
      if (!(v instanceof Uint8Array)) throw new MrtdError('ERR_USAGE', `${spec.what}.${f.key} must be bytes`);
      objects.push(encodeTlv(f.tag, v));
    } else {
      if (typeof v !== 'string') throw new MrtdError('ERR_USAGE', `${spec.what}.${f.key} must be a string`);
      if (f.kind === 'date' && !/^[0-9]+$/.test(v)) {
        throw new MrtdError('ERR_USAGE', `${spec.what}.${f.key} must be digits (yyyymmdd...)`);
      }
      objects.push(encodeTlv(f.tag, encodeText(v)));
    }
    tags.push(f.tag);
  }
  const list = data[spec.list.key];
  if (list !== undefined) {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      throw new MrtdError('ERR_USAGE', `${spec.what}.${spec.list.key} must be strings`);
    }
    objects.push(
      encodeConstructed(LIST_TEMPLATE, [
        der.integer(list.length),
        ...list.map((x: string) => encodeTlv(spec.list.tag, encodeText(x))),
      ]),
    );
    tags.push(spec.list.tag);
  }
  const tagList = encodeTlv(0x5c, concatBytes(...tags.map(encodeTag)));
  return encodeConstructed(spec.tag, [tagList, ...objects]);
}
