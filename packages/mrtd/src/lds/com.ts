// EF.COM: the LDS version, the Unicode version and the list of data groups present (ICAO 9303-10 §4.6.1).
import { ascii, concatBytes } from '../bytes.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, encodeConstructed, encodeTlv, requireTlv } from '../tlv/tlv.ts';
import { ldsFileByDg, ldsFileByTag } from './lds-file.ts';
import { ldsGuard, unwrapFile } from './lds-text.ts';

export interface Com {
  /** 'aabb' for LDS version aa.bb, e.g. '0107' (tag 5F01). */
  readonly ldsVersion: string;
  /** 'aabbcc' for Unicode aa.bb.cc, e.g. '040000' (tag 5F36). */
  readonly unicodeVersion: string;
  /** The data groups in the tag list (tag 5C), in its order. */
  readonly dataGroups: readonly number[];
  /** The raw tag list, including tags this library does not know. */
  readonly tags: readonly number[];
}

export interface ComInput {
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
  readonly dataGroups: readonly number[];
}

export function decodeCom(bytes: Uint8Array): Com {
  const file = unwrapFile(bytes, 0x60, 'EF.COM');
  return ldsGuard('EF.COM', () => {
    const children = childrenOf(file);
    const ldsVersion = ascii(requireTlv(children, 0x5f01, 'EF.COM LDS version').value);
    const unicodeVersion = ascii(requireTlv(children, 0x5f36, 'EF.COM Unicode version').value);
    if (!/^[0-9]{4}$/.test(ldsVersion)) throw new MrtdError('ERR_LDS_FORMAT', 'EF.COM: bad LDS version');
    if (!/^[0-9]{6}$/.test(unicodeVersion))
      throw new MrtdError('ERR_LDS_FORMAT', 'EF.COM: bad Unicode version');
    const tags = [...requireTlv(children, 0x5c, 'EF.COM tag list').value];
    const dataGroups: number[] = [];
    for (const tag of tags) {
      const dg = ldsFileByTag(tag)?.dg;
      if (dg !== undefined) dataGroups.push(dg);
    }
    return { ldsVersion, unicodeVersion, dataGroups, tags };
  });
}

export function encodeCom(com: ComInput): Uint8Array {
  const ldsVersion = com.ldsVersion ?? '0107';
  const unicodeVersion = com.unicodeVersion ?? '040000';
  if (!/^[0-9]{4}$/.test(ldsVersion) || !/^[0-9]{6}$/.test(unicodeVersion)) {
    throw new MrtdError('ERR_USAGE', 'EF.COM versions must be 4 and 6 digits');
  }
  const tags = com.dataGroups.map((n) => {
    const tag = ldsFileByDg(n)?.tag;
    if (tag === undefined) throw new MrtdError('ERR_USAGE', `no data group ${n}`);
    return tag;
  });
  return encodeConstructed(0x60, [
    encodeTlv(0x5f01, new TextEncoder().encode(ldsVersion)),
    encodeTlv(0x5f36, new TextEncoder().encode(unicodeVersion)),
    encodeTlv(0x5c, concatBytes(Uint8Array.from(tags))),
  ]);
}
