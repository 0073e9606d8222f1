// A newcomer's first try (issue 7): journey A in development mode with a virtual passport made from the
// phone camera's own photo ("make a test passport with my own face"), so the face scan that follows matches
// the chip photo. On the way the network drops the answer to one step: the app says it is retrying, sends
// the step again, and the server answers the same without doing it twice (one SMS, not two).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { driveJourneyA, type E2E, NO_CHROMIUM, shots, startE2E } from './e2e-harness.ts';

describe('journey A with a test passport of my own face', { timeout: 600_000, skip: NO_CHROMIUM }, () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({ passports: [] });
  });

  after(async () => {
    await e2e?.close();
  });

  it('makes the passport from the camera, matches the face, and survives a lost answer', async () => {
    const { context, page } = await e2e.phone('en');
    const phoneNumber = '20999111';
    let dropped = 0;
    // The server handles the phone step, but its answer never reaches the phone (once).
    await page.route('**/steps/phone-given', async (route) => {
      if (dropped > 0) return route.continue();
      dropped += 1;
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    try {
      await driveJourneyA(e2e, page, {
        locale: 'en',
        // Typed at the MRZ screen before the passport exists; the new passport's MRZ replaces it.
        passport: {
          name: '',
          documentNumber: 'X1234567',
          dateOfBirth: '740812',
          dateOfExpiry: '301231',
          holder: 'ANNA MARIA ERIKSSON',
          mrzScene: 'neutral',
        },
        ownFace: true,
        cpr: '120874-1234',
        phoneNumber,
        userId: `own face ${Date.now() % 100000}`,
        authenticator: 'code-display',
        mrz: 'manual',
        shots: shots('own-face'),
      });
    } catch (e) {
      await page.screenshot({
        path: `${process.cwd()}/test-results/app/own-face/failure.png`,
        fullPage: true,
      });
      throw e;
    } finally {
      await context.close();
    }
    assert.equal(dropped, 1);
    const r = await fetch(`${e2e.url}/dev/outbox?format=json&to=${encodeURIComponent(`+45${phoneNumber}`)}`);
    const { messages } = (await r.json()) as { messages: unknown[] };
    assert.equal(messages.length, 1, 'the retried step sent no second SMS');
  });
});
