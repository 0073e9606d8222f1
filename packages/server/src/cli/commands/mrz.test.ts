import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mrzParse } from './mrz.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function collector() {
  const c = {
    out: '',
    err: '',
    stdout(s: string) {
      c.out += s;
    },
    stderr(s: string) {
      c.err += s;
    },
  };
  return c;
}

describe('tillid mrz parse', () => {
  it('prints the fields and the MRZ information as JSON', () => {
    const c = collector();
    assert.equal(mrzParse(TD3, { json: true }, c), 0);
    const r = JSON.parse(c.out) as { ok: boolean; mrz: { documentNumber: string }; mrzInformation: string };
    assert.equal(r.ok, true);
    assert.equal(r.mrz.documentNumber, 'L898902C3');
    assert.equal(r.mrzInformation, 'L898902C3674081221204159');
  });

  it('exits 1 with the error code when a check digit is wrong', () => {
    const c = collector();
    const bad = [TD3[0] ?? '', (TD3[1] ?? '').replace('L898902C36', 'L898902C35')];
    assert.equal(mrzParse(bad, { json: true }, c), 1);
    assert.equal((JSON.parse(c.out) as { error: { code: string } }).error.code, 'ERR_MRZ_CHECK_DIGIT');
    const h = collector();
    assert.equal(mrzParse(bad, { json: false }, h), 1);
    assert.match(h.err, /ERR_MRZ_CHECK_DIGIT/);
  });
});
