import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MrtdError } from '../errors.ts';
import { decodeDg2, encodeDg2 } from './dg2.ts';
import { detectImageFormat } from './image-format.ts';
import { decodeIso19794FaceRecord, encodeIso19794FaceRecord } from './iso19794-5.ts';
import { decodeIso39794FaceRecord, encodeIso39794FaceRecord } from './iso39794-5.ts';

const fixture = (p: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/${p}`, import.meta.url)));

const isBiometricError = (e: unknown): boolean => e instanceof MrtdError && e.code === 'ERR_BIOMETRIC_FORMAT';

describe('ISO/IEC 19794-5 face records', () => {
  it('extracts the JPEG and its size from the sample record', () => {
    const [face, ...more] = decodeIso19794FaceRecord(fixture('iso19794/ISO19794_Test1_Data.bin'));
    assert.equal(more.length, 0);
    assert.ok(face);
    assert.equal(face.standard, 'ISO19794-5');
    // The record declares JPEG 2000 (image data type 1), but the bytes are a JFIF JPEG: the signature decides.
    assert.equal(face.format, 'jpeg');
    assert.equal(face.width, 148);
    assert.equal(face.height, 70);
    assert.deepEqual(face.image, fixture('iso19794/ISO19794_Test1_Face.jpg'));
  });

  it('rejects the record whose image is not a JPEG with a typed error', () => {
    assert.throws(
      () => decodeIso19794FaceRecord(fixture('iso19794/ISO19794_Test2_Data_InvalidImage.bin')),
      isBiometricError,
    );
  });

  it('rejects cut records and wrong identifiers', () => {
    const good = fixture('iso19794/ISO19794_Test1_Data.bin');
    assert.throws(() => decodeIso19794FaceRecord(good.subarray(0, 100)), isBiometricError);
    assert.throws(() => decodeIso19794FaceRecord(good.subarray(0, 10)), isBiometricError);
    const wrong = good.slice();
    wrong[0] = 0x47;
    assert.throws(() => decodeIso19794FaceRecord(wrong), isBiometricError);
  });

  it('round-trips with its encoder', () => {
    const image = fixture('iso19794/ISO19794_Test1_Face.jpg');
    const record = encodeIso19794FaceRecord([{ format: 'jpeg', image, width: 148, height: 70 }]);
    assert.deepEqual(decodeIso19794FaceRecord(record), [
      { standard: 'ISO19794-5', format: 'jpeg', image, width: 148, height: 70 },
    ]);
  });
});

describe('ISO/IEC 39794-5 face records', () => {
  const jp2 = fixture('iso39794/ICAO_39794_5_AP_Face.jpg');

  it('extracts the JPEG 2000 image from the all-fields and mandatory-fields samples', () => {
    assert.equal(detectImageFormat(jp2), 'jpeg2000');
    const [all] = decodeIso39794FaceRecord(fixture('iso39794/ICAO_39794_5_AP_AllFields.dat'));
    assert.ok(all);
    assert.equal(all.standard, 'ISO39794-5');
    assert.equal(all.format, 'jpeg2000');
    assert.deepEqual(all.image, jp2);
    assert.equal(all.width, 572);
    assert.equal(all.height, 731);
    const [mand] = decodeIso39794FaceRecord(fixture('iso39794/ICAO_39794_5_AP_MandFields.dat'));
    assert.ok(mand);
    assert.deepEqual(mand.image, jp2);
    assert.equal(mand.width, undefined);
  });

  it('rejects the invalid-image sample with a typed error', () => {
    assert.throws(
      () => decodeIso39794FaceRecord(fixture('iso39794/ICAO_39794_5_AP_MandFields_InvalidImage.dat')),
      isBiometricError,
    );
  });

  it('round-trips with its encoder', () => {
    const record = encodeIso39794FaceRecord([{ format: 'jpeg2000', image: jp2, width: 572, height: 731 }]);
    assert.deepEqual(decodeIso39794FaceRecord(record), [
      { standard: 'ISO39794-5', format: 'jpeg2000', image: jp2, width: 572, height: 731 },
    ]);
  });
});

describe('DG2', () => {
  it('decodes the DG2-wrapped 39794-5 samples', () => {
    for (const name of ['AllFields', 'MandFields']) {
      const dg2 = decodeDg2(fixture(`iso39794/ICAO_39794_5_AP_DG2_${name}.dat`));
      assert.equal(dg2.faces.length, 1);
      const face = dg2.faces[0];
      assert.ok(face);
      assert.equal(face.standard, 'ISO39794-5');
      assert.equal(face.format, 'jpeg2000');
      assert.equal(face.formatOwner, 0x0101);
      assert.equal(face.formatType, 0x002a);
      assert.deepEqual(face.image, fixture('iso39794/ICAO_39794_5_AP_DG2_Face.jpg'));
    }
  });

  it('round-trips 19794-5 and 39794-5 faces with its encoder', () => {
    const jpeg = fixture('iso19794/ISO19794_Test1_Face.jpg');
    const jp2 = fixture('iso39794/ICAO_39794_5_AP_Face.jpg');
    const faces = [
      { standard: 'ISO19794-5' as const, format: 'jpeg' as const, image: jpeg, width: 148, height: 70 },
      { standard: 'ISO39794-5' as const, format: 'jpeg2000' as const, image: jp2 },
    ];
    const decoded = decodeDg2(encodeDg2({ faces }));
    assert.deepEqual(
      decoded.faces.map(({ record: _r, formatOwner: _o, formatType: _t, ...f }) => f),
      faces,
    );
    assert.equal(decoded.faces[0]?.formatType, 0x0008);
  });

  it('wraps a 19794-5 sample and refuses an image that is neither JPEG nor JPEG 2000', () => {
    const record = fixture('iso19794/ISO19794_Test1_Data.bin');
    const [face] = decodeIso19794FaceRecord(record);
    assert.ok(face);
    assert.deepEqual(decodeDg2(encodeDg2({ faces: [face] })).faces[0]?.image, face.image);
    assert.throws(
      () => encodeDg2({ faces: [{ format: 'jpeg', image: Uint8Array.of(1, 2, 3) }] }),
      isBiometricError,
    );
  });

  it('reports malformed files with MrtdError', () => {
    const good = fixture('iso39794/ICAO_39794_5_AP_DG2_MandFields.dat');
    for (const bad of [
      good.subarray(0, 50),
      Uint8Array.of(0x75, 0x00),
      Uint8Array.of(0x61, 0x00),
      new Uint8Array(0),
    ]) {
      assert.throws(() => decodeDg2(bad), MrtdError);
    }
  });
});
