import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LDS_FILES, ldsFileByDg, ldsFileByFid, ldsFileByName, ldsFileByTag } from './lds-file.ts';

describe('LDS_FILES (ICAO 9303-10 §4.6)', () => {
  it('holds EF.COM, EF.SOD, DG1-DG16 and the two master-file EFs, each once', () => {
    assert.equal(LDS_FILES.length, 20);
    assert.equal(new Set(LDS_FILES.map((f) => f.name)).size, 20);
    assert.equal(new Set(LDS_FILES.filter((f) => f.application === 'eMRTD').map((f) => f.tag)).size, 18);
  });

  it('finds files by name, tag, data group and file identifier', () => {
    assert.deepEqual(ldsFileByName('DG2'), {
      name: 'DG2',
      dg: 2,
      tag: 0x75,
      fid: 0x0102,
      sfi: 2,
      application: 'eMRTD',
    });
    assert.equal(ldsFileByTag(0x6e)?.name, 'DG14');
    assert.equal(ldsFileByTag(0x77)?.name, 'SOD');
    assert.equal(ldsFileByTag(0x31), undefined);
    assert.equal(ldsFileByDg(15)?.tag, 0x6f);
    assert.equal(ldsFileByDg(17), undefined);
    assert.equal(ldsFileByFid(0x011e)?.name, 'COM');
    assert.equal(ldsFileByFid(0x011d)?.name, 'SOD');
    assert.equal(ldsFileByFid(0x011d, 'MF')?.name, 'CardSecurity');
    assert.equal(ldsFileByName('CardAccess').sfi, 0x1c);
  });
});
