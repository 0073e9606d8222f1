// The face image a DG2 biometric data block carries, whatever the record standard.
import type { ImageFormat } from './image-format.ts';

export type FaceRecordStandard = 'ISO19794-5' | 'ISO39794-5';

export interface FaceImage {
  readonly standard: FaceRecordStandard;
  /** The encoding recognised from the image's own signature (the record's declaration is not trusted). */
  readonly format: ImageFormat;
  readonly image: Uint8Array;
  /** Pixels, when the record states them. */
  readonly width?: number;
  readonly height?: number;
}

export type FaceImageInput = Omit<FaceImage, 'standard'> & { readonly standard?: FaceRecordStandard };
