// EF.DG7, the displayed signature or usual mark: a count and one 5F43 image per instance (ICAO 9303-10 §4.7.7).

import { decodeInteger } from '../asn1/der.ts';
import { der } from '../asn1/der-writer.ts';
import { MrtdError } from '../errors.ts';
import { childrenOf, encodeConstructed, encodeTlv, findTlv } from '../tlv/tlv.ts';
import { detectImageFormat, type ImageFormat } from './image-format.ts';
import { ldsGuard, unwrapFile } from './lds-text.ts';

export interface Dg7Image {
  readonly image: Uint8Array;
  /** Recognised from the image's signature; undefined for other encodings. */
  readonly format?: ImageFormat;
}

export interface Dg7 {
  readonly images: readonly Dg7Image[];
}

const DISPLAYED_IMAGE = 0x5f43;

export function decodeDg7(bytes: Uint8Array): Dg7 {
  const file = unwrapFile(bytes, 0x67, 'DG7');
  return ldsGuard('DG7', () => {
    const children = childrenOf(file);
    const count = findTlv(children, 0x02);
    const images = children.filter((c) => c.tag === DISPLAYED_IMAGE);
    if (count === undefined || decodeInteger(count.value, 'ERR_LDS_FORMAT') !== images.length) {
      throw new MrtdError('ERR_LDS_FORMAT', 'DG7: instance count does not match the images present');
    }
    return {
      images: images.map((t) => {
        const image = t.value.slice();
        const format = detectImageFormat(image);
        return format === undefined ? { image } : { image, format };
      }),
    };
  });
}

export function encodeDg7(dg7: { readonly images: readonly { readonly image: Uint8Array }[] }): Uint8Array {
  return encodeConstructed(0x67, [
    der.integer(dg7.images.length),
    ...dg7.images.map((i) => encodeTlv(DISPLAYED_IMAGE, i.image)),
  ]);
}
