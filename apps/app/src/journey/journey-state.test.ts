import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ldsNameOfFile } from '../chip/virtual-passport.ts';
import { toYymmdd } from './dates.ts';
import { canGoBack, initialJourney, type JourneyState, journeyReducer } from './journey-state.ts';

const go = (s: JourneyState, screen: JourneyState['screen']) => journeyReducer(s, { type: 'go', screen });

describe('journey state', () => {
  it('goes forward and back through the screens', () => {
    let s = go(go(go(initialJourney, 'menu'), 'activate'), 'intro');
    assert.equal(s.screen, 'intro');
    s = journeyReducer(s, { type: 'back' });
    assert.equal(s.screen, 'activate');
    assert.deepEqual(s.history, ['home', 'menu']);
  });

  it('offers no back where the server has moved on (face, user-ID given, done)', () => {
    for (const screen of [
      'face',
      'phone',
      'authenticator',
      'done',
      'error',
      'serial',
      'ordered',
      'activated',
    ] as const) {
      const s = go(go(initialJourney, 'menu'), screen);
      assert.equal(canGoBack(s), false, screen);
      assert.equal(journeyReducer(s, { type: 'back' }), s);
    }
  });

  it('offers back in journey C where no server step would be repeated', () => {
    for (const screen of ['haveDevice', 'order', 'tokenLookAway', 'password', 'otp'] as const) {
      assert.equal(canGoBack(go(go(initialJourney, 'done'), screen)), true, screen);
    }
  });

  it('shows a failure on the error screen and recovers to a screen visited before', () => {
    let s = go(go(go(initialJourney, 'mrzScan'), 'mrzManual'), 'chip');
    s = journeyReducer(s, {
      type: 'fail',
      error: { code: 'ERR_CHIP_READ', messageId: 'chip.readFailed', status: 0 },
    });
    assert.equal(s.screen, 'error');
    assert.equal(s.failure?.on, 'chip');
    s = journeyReducer(s, { type: 'recover', to: 'mrzManual' });
    assert.equal(s.screen, 'mrzManual');
    assert.deepEqual(s.history, ['home', 'mrzScan']);
    assert.equal(s.failure, undefined);
  });

  it('restarts at Activate with no data of the old flow', () => {
    const s = journeyReducer(
      journeyReducer(initialJourney, {
        type: 'go',
        screen: 'docType',
        data: { flowId: 'f1', country: 'UTO' },
      }),
      { type: 'restart' },
    );
    assert.equal(s.screen, 'activate');
    assert.equal(s.flowId, undefined);
    assert.equal(s.country, undefined);
  });
});

describe('helpers', () => {
  it('turns ISO dates into MRZ dates', () => {
    assert.equal(toYymmdd('1974-08-12'), '740812');
    assert.equal(toYymmdd('2031-04-15'), '310415');
    assert.equal(toYymmdd(''), '');
    assert.equal(toYymmdd('12/08/1974'), '');
  });

  it('names the files of a passport directory by their LDS names', () => {
    assert.equal(ldsNameOfFile('EF_COM.bin'), 'COM');
    assert.equal(ldsNameOfFile('EF_SOD.bin'), 'SOD');
    assert.equal(ldsNameOfFile('EF_CardAccess.bin'), 'CardAccess');
    assert.equal(ldsNameOfFile('DG2.bin'), 'DG2');
    assert.equal(ldsNameOfFile('DG16.bin'), 'DG16');
    assert.equal(ldsNameOfFile('DG17.bin'), undefined);
    assert.equal(ldsNameOfFile('chip.json'), undefined);
    assert.equal(ldsNameOfFile('../DG1.bin'), undefined);
  });
});
