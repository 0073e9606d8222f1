import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acrFor,
  assuranceLevel,
  authenticationStrength,
  levelFromAcr,
  meetsLevel,
  NSIS_LOA_URIS,
  proofingLevel,
} from './assurance.ts';
import { CoreError } from './errors.ts';

const remoteChipAndFace = {
  chipVerified: true,
  faceMatchedWithLiveness: true,
  inPerson: false,
  registerMatched: true,
};
const inPerson = {
  chipVerified: true,
  faceMatchedWithLiveness: false,
  inPerson: true,
  registerMatched: true,
};

describe('assurance levels', () => {
  it('rates authentication by factors', () => {
    assert.equal(authenticationStrength(['app-device-key', 'app-pin']), 'substantial');
    assert.equal(authenticationStrength(['app-device-key', 'app-biometrics']), 'substantial');
    assert.equal(authenticationStrength(['code-display-otp', 'password']), 'substantial');
    assert.equal(authenticationStrength(['code-reader-otp', 'password']), 'substantial');
    assert.equal(authenticationStrength(['fido2-key', 'password']), 'high');
    assert.equal(authenticationStrength(['app-device-key']), 'low', 'swipe without PIN');
    assert.equal(authenticationStrength(['password']), 'low');
    assert.equal(authenticationStrength(['password', 'app-pin']), 'low', 'two knowledge factors');
    assert.equal(authenticationStrength(['fido2-key']), 'low');
    assert.equal(authenticationStrength(['bogus' as never, 'password']), 'low');
  });

  it('rates identity proofing', () => {
    assert.equal(proofingLevel(remoteChipAndFace), 'substantial');
    assert.equal(proofingLevel(inPerson), 'high');
    assert.equal(proofingLevel({ ...remoteChipAndFace, faceMatchedWithLiveness: false }), 'low');
    assert.equal(proofingLevel({ ...remoteChipAndFace, chipVerified: false }), 'low');
    assert.equal(proofingLevel({ ...inPerson, registerMatched: false }), 'low');
  });

  it('caps a login at the proofing level', () => {
    const substantial = proofingLevel(remoteChipAndFace);
    assert.equal(
      assuranceLevel({ factors: ['app-device-key', 'app-pin'], proofing: substantial }),
      'substantial',
    );
    assert.equal(
      assuranceLevel({ factors: ['fido2-key', 'password'], proofing: substantial }),
      'substantial',
    );
    assert.equal(assuranceLevel({ factors: ['fido2-key', 'password'], proofing: 'high' }), 'high');
    assert.equal(
      assuranceLevel({ factors: ['code-display-otp', 'password'], proofing: 'high' }),
      'substantial',
    );
    assert.equal(assuranceLevel({ factors: ['password'], proofing: 'high' }), 'low');
    assert.equal(assuranceLevel({ factors: ['app-device-key', 'app-pin'], proofing: 'low' }), 'low');
    assert.throws(() => assuranceLevel({ factors: [], proofing: 'high' }), CoreError);
    assert.throws(() => assuranceLevel({ factors: ['password'], proofing: 'x' as never }), CoreError);
  });

  it('maps levels to the NSIS acr URIs and back', () => {
    assert.equal(acrFor('substantial'), 'https://data.gov.dk/concept/core/nsis/loa/Substantial');
    assert.equal(acrFor('low'), 'https://data.gov.dk/concept/core/nsis/loa/Low');
    assert.equal(acrFor('high'), 'https://data.gov.dk/concept/core/nsis/loa/High');
    for (const [level, uri] of Object.entries(NSIS_LOA_URIS)) assert.equal(levelFromAcr(uri), level);
    assert.equal(levelFromAcr('http://eidas.europa.eu/LoA/high'), 'high');
    assert.equal(levelFromAcr('urn:unknown'), undefined);
    assert.ok(meetsLevel('high', 'substantial'));
    assert.equal(meetsLevel('low', 'substantial'), false);
  });
});
