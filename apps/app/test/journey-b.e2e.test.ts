// Journeys A + B + D end to end in Debian's Chromium (issue 7, acceptance test 1): the helper's phone runs
// journey A for a virtual passport and chooses the app; a second browser profile (the new phone) scans the
// helper's QR code with its camera, shows its reverse QR, which the helper's camera scans (proximity); the new
// phone finishes the activation (user-ID, temporary PIN by SMS, personal PIN, biometrics skipped,
// notifications "not now") and keeps its app across a reload. Then a desktop browser logs in to the demo
// service with the app: the new phone types the browser's number, swipes (by keyboard) and gives its PIN, and
// the desktop ends on the demo service with the claims. Camera frames: test/fake-camera.ts (the other phone's
// QR image is what the camera sees). Every new screen is checked with axe and photographed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  driveJourneyA,
  type E2E,
  type E2EWithDemo,
  type Locale,
  MAJA,
  NO_CHROMIUM,
  RESULTS,
  type Shots,
  shots,
  startE2EWithDemo,
  startsWith,
  TEXTS,
  type TextKey,
} from './e2e-harness.ts';
import { setCameraScene } from './fake-camera.ts';

const PIN = '583920';

/**
 * A screenshot without axe: the login pages and the demo service are not this test's screens (the login
 * pages have their own test), so their accessibility does not decide this one.
 */
async function photo(page: Page, n: Shots, name: string): Promise<void> {
  n.i += 1;
  await page.screenshot({
    path: join(RESULTS, n.dir, `${String(n.i).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

/** The `src` of an image, once it is there (the QR codes are data: URLs). */
async function imageUrl(page: Page, testId: string): Promise<string> {
  const img = page.getByTestId(testId);
  await img.waitFor();
  const src = await img.getAttribute('src');
  assert.ok(src?.startsWith('data:image/'), `${testId} is a data: URL`);
  return src ?? '';
}

describe('journeys A + B + D in the browser', { timeout: 900_000, skip: NO_CHROMIUM }, () => {
  let e2e: E2E;
  let demoUrl: string;
  let publicUrl: string;
  let running: E2EWithDemo | undefined;

  before(async () => {
    running = await startE2EWithDemo({
      // Anna in English and Danish (one identity, enrolled twice); Maja, another person, in Greenlandic.
      passports: [
        { name: 'anna-b-en', documentNumber: 'L898910B' },
        { name: 'anna-b-da', documentNumber: 'L898911B' },
        { name: 'maja-b-kl', documentNumber: 'L898912B', holder: MAJA },
      ],
    });
    ({ e2e, demoUrl, publicUrl } = running);
  });

  after(async () => {
    await running?.close();
  });

  /** The locale's helpers: headings, buttons and form fields by their texts, axe + screenshot. */
  function ui(locale: Locale) {
    const T = TEXTS[locale];
    return {
      T,
      shot: (page: Page, n: Shots, name: string, title?: TextKey) => e2e.screen(page, n, name, title, locale),
      heading: (page: Page, key: TextKey) =>
        page.getByRole('heading', { level: 1, name: T[key] }).waitFor({ timeout: 30_000 }),
      button: (page: Page, key: TextKey) => page.getByRole('button', { name: T[key], exact: true }),
      field: (page: Page, key: TextKey) => page.locator('form').getByLabel(T[key], { exact: true }),
    };
  }

  /**
   * The new phone from Activate → Copy from another app to the activated app's home: it scans `showingQr`
   * (the picture its camera is given), shows its reverse QR, which `showing`'s camera is then given.
   */
  async function activateNewPhone(
    locale: Locale,
    o: {
      page: Page;
      /** Where the app is opened (its origin keeps the instance). */
      origin: string;
      showing: Page;
      showingQr: string;
      n: Shots;
      helperShots: Shots;
      userId: string;
      phoneNumber: string;
      biometrics: boolean;
      mistakes: boolean;
    },
  ): Promise<void> {
    const { T, shot, heading, button, field } = ui(locale);
    const p = o.page;
    await p.goto(`${o.origin}/app/?lang=${locale}`);
    await heading(p, 'home.title');
    await p.getByRole('button', { name: T['home.openMenu'] }).click();
    await p.getByRole('button', { name: startsWith(T['menu.activate']) }).click();
    await heading(p, 'activate.title');
    await shot(p, o.n, 'activate', 'activate.title');
    await p.getByRole('button', { name: startsWith(T['copy.menu']) }).click();
    await heading(p, 'copy.intro.title');
    if (o.mistakes) {
      await button(p, 'copy.intro.scan').click();
      await p.getByRole('alert').getByText(T['copy.intro.required']).waitFor();
      await shot(p, o.n, 'copy-intro-missing', 'copy.intro.title');
    }
    await p.getByLabel(T['copy.intro.shown'], { exact: true }).check();
    await shot(p, o.n, 'copy-intro', 'copy.intro.title');
    await button(p, 'copy.intro.scan').click();
    // The camera sees nothing yet: the scanner keeps looking. Then it is shown the other phone's screen.
    await heading(p, 'copy.scan.title');
    await p.locator('[data-scan-phase="scanning"]').waitFor();
    await shot(p, o.n, 'copy-scan', 'copy.scan.title');
    await setCameraScene(p, 'qr', o.showingQr);
    await heading(p, 'copy.near.title');
    const proximityQr = await imageUrl(p, 'proximity-qr');
    await shot(p, o.n, 'copy-proximity', 'copy.near.title');

    // The showing phone saw the scan and turns to the new phone's code; its camera is pointed at it.
    const s = o.showing;
    await heading(s, 'transfer.scan.title');
    await s.locator('[data-scan-phase="scanning"]').waitFor();
    await shot(s, o.helperShots, 'scan-reverse', 'transfer.scan.title');
    await setCameraScene(s, 'qr', proximityQr);
    await heading(s, 'transfer.done.title');
    await shot(s, o.helperShots, 'transfer-done', 'transfer.done.title');
    // Nothing of the person on the showing phone: not the user-ID, not the phone number.
    const shownText = (await s.locator('body').textContent()) ?? '';
    assert.doesNotMatch(shownText, new RegExp(o.userId));
    assert.doesNotMatch(shownText, new RegExp(o.phoneNumber));

    // Look away, the user-ID (first a wrong one), the temporary PIN from the SMS.
    await heading(p, 'lookAway.title');
    await shot(p, o.n, 'copy-look-away', 'lookAway.title');
    await button(p, 'lookAway.next').click();
    await heading(p, 'copy.userId.title');
    if (o.mistakes) {
      await field(p, 'userId.label').fill('somebody.else');
      await button(p, 'app.next').click();
      await p.getByRole('alert').getByText(T['app.transfer.userIdWrong']).waitFor();
      await shot(p, o.n, 'copy-user-id-wrong', 'copy.userId.title');
    }
    await field(p, 'userId.label').fill(o.userId);
    await button(p, 'app.next').click();
    await heading(p, 'copy.tempPin.title');
    await shot(p, o.n, 'copy-temporary-pin', 'copy.tempPin.title');
    await field(p, 'copy.tempPin.label').fill(await e2e.smsCode(`+45${o.phoneNumber}`));
    await button(p, 'app.next').click();

    // The personal PIN: intro, look away, (a trivial PIN refused,) a good one, look away, repeat.
    await heading(p, 'copy.pinIntro.title');
    await shot(p, o.n, 'copy-pin-intro', 'copy.pinIntro.title');
    await button(p, 'app.next').click();
    await heading(p, 'lookAway.title');
    await shot(p, o.n, 'copy-pin-look-away', 'lookAway.title');
    await button(p, 'lookAway.next').click();
    await heading(p, 'copy.pin.title');
    if (o.mistakes) {
      await field(p, 'copy.pin.label').fill('123456');
      await button(p, 'app.next').click();
      await p.getByRole('alert').waitFor();
      await shot(p, o.n, 'copy-pin-trivial', 'copy.pin.title');
    }
    await field(p, 'copy.pin.label').fill(PIN);
    await button(p, 'app.next').click();
    await heading(p, 'lookAway.title');
    await button(p, 'lookAway.next').click();
    await heading(p, 'copy.pin.repeatTitle');
    await field(p, 'copy.pin.repeatLabel').fill(PIN);
    await shot(p, o.n, 'copy-pin-repeat', 'copy.pin.repeatTitle');
    await button(p, 'app.next').click();

    await heading(p, 'copy.bio.title');
    await shot(p, o.n, 'copy-biometrics', 'copy.bio.title');
    await button(p, o.biometrics ? 'copy.bio.use' : 'copy.bio.skip').click();
    await heading(p, 'copy.notify.title');
    await shot(p, o.n, 'copy-notifications', 'copy.notify.title');
    await button(p, 'copy.notify.skip').click();
    await heading(p, 'copy.activated.title');
    await shot(p, o.n, 'copy-activated', 'copy.activated.title');
    await button(p, 'copy.activated.ok').click();
    await heading(p, 'appHome.title');
    // The instance is kept in IndexedDB: a reload shows the activated app.
    await p.reload();
    await heading(p, 'appHome.title');
    await p.getByText(T['appHome.none']).waitFor();
    await shot(p, o.n, 'app-home', 'appHome.title');
  }

  /** A picture of an <img> as a PNG data: URL (what a camera pointed at that screen would see). */
  async function pictureOf(page: Page, testId: string): Promise<string> {
    await page.getByTestId(testId).waitFor();
    return page.getByTestId(testId).evaluate((img: HTMLImageElement) => {
      const canvas = document.createElement('canvas');
      canvas.width = 480;
      canvas.height = 480;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 480, 480);
      ctx.drawImage(img, 40, 40, 400, 400);
      return canvas.toDataURL('image/png');
    });
  }

  /**
   * Journey D: the desktop logs in to the demo service with the app; the phone opens the approval with the
   * browser's number (or its QR code), swipes by keyboard and approves with the PIN (or biometrics).
   */
  async function loginWithApp(
    locale: Locale,
    o: {
      phone: Page;
      n: Shots;
      desktopShots: Shots;
      userId: string;
      /** The person's CPR number, expected among the service's claims. */
      cpr: string;
      seen: 'number' | 'qr';
      biometrics: boolean;
      /** First a login opened with a wrong number: it ends for good (DESIGN §3.2); the desktop starts again. */
      wrongNumberFirst: boolean;
    },
  ): Promise<void> {
    const { T, shot, heading, button, field } = ui(locale);
    const desktop = await e2e.browser.newContext({ locale: locale === 'da' ? 'da-DK' : 'en-GB' });
    const p = o.phone;
    try {
      const d = await desktop.newPage();
      d.setDefaultTimeout(30_000);
      const startLogin = async () => {
        await d.goto(`${demoUrl}/login`);
        await d.getByTestId('login-user-id').fill(o.userId);
        await d.getByTestId('login-submit').click();
        await d.getByTestId('login-method-app').click();
        const shown = ((await d.getByTestId('login-number').textContent()) ?? '').replace(/\s/g, '');
        assert.match(shown, /^\d{2}$/);
        return shown;
      };
      if (o.wrongNumberFirst) {
        const shown = await startLogin();
        await p.getByTestId('pending-login').click();
        await heading(p, 'approve.match.title');
        await field(p, 'approve.match.label').fill(String((Number(shown) + 1) % 100).padStart(2, '0'));
        await button(p, 'app.next').click();
        await p.locator('[data-error-code="ERR_APPROVAL_NOT_SEEN"]').waitFor();
        await p.getByText(T['approve.next.notSeen']).waitFor();
        await shot(p, o.n, 'approve-not-seen', 'error.title');
        await p.getByRole('button', { name: T['error.goBack'] }).click();
        await heading(p, 'appHome.title');
        // That login is over for good: no app can open it any more.
        await p.getByText(T['appHome.none']).waitFor();
      }
      const number = await startLogin();
      const loginQr = await pictureOf(d, 'login-qr');
      await photo(d, o.desktopShots, 'login-number');

      await p.getByTestId('pending-login').click();
      await heading(p, 'approve.match.title');
      if (o.seen === 'number') {
        await field(p, 'approve.match.label').fill('7');
        await button(p, 'app.next').click();
        await p.getByText(T['approve.match.invalid']).waitFor();
        await shot(p, o.n, 'approve-number-invalid', 'approve.match.title');
        await field(p, 'approve.match.label').fill(number);
        await shot(p, o.n, 'approve-number', 'approve.match.title');
        await button(p, 'app.next').click();
      } else {
        await button(p, 'approve.match.scan').click();
        await p.locator('[data-scan-phase="scanning"]').waitFor();
        await shot(p, o.n, 'approve-scan', 'approve.match.title');
        await setCameraScene(p, 'qr', loginQr);
      }
      const reviewTitle = T['approve.review.title'].replace('{{service}}', 'Tillid demo service');
      await p.getByRole('heading', { level: 1, name: reviewTitle }).waitFor();
      await shot(p, o.n, 'approve-review');
      // Swiped by keyboard: the slider goes to its end with End.
      await p.getByRole('slider', { name: T['approve.review.swipe'] }).focus();
      await p.keyboard.press('End');
      if (o.biometrics) {
        await shot(p, o.n, 'approve-biometrics');
        await button(p, 'approve.review.biometrics').click();
      } else {
        await field(p, 'approve.review.pin').fill(PIN);
        await shot(p, o.n, 'approve-pin');
        await button(p, 'approve.review.approve').click();
      }
      await heading(p, 'approve.done.approved');
      await shot(p, o.n, 'approve-done', 'approve.done.approved');

      // The login page polls (on a page without script, it is told the app has approved).
      for (let i = 0; i < 20 && !d.url().startsWith(demoUrl); i++) {
        await d
          .waitForURL((u) => u.href.startsWith(demoUrl), { timeout: 1500 })
          .catch(async () => {
            const submit = d.getByTestId('login-submit');
            if (await submit.isVisible().catch(() => false)) await submit.click().catch(() => undefined);
          });
      }
      await d.getByRole('heading', { level: 1, name: 'You are logged in' }).waitFor();
      const home = await d.content();
      assert.match(home, /data-acr="https:\/\/data\.gov\.dk\/concept\/core\/nsis\/loa\/Substantial"/);
      assert.ok(home.includes(o.cpr.replace('-', '')), 'the CPR of the person who approved');
      await photo(d, o.desktopShots, 'demo-service-claims');
    } finally {
      await desktop.close();
    }
  }

  /** What each device showed when a test failed, for whoever reads the failure. */
  async function whereFailed(dir: string, pages: Record<string, Page>): Promise<void> {
    for (const [name, page] of Object.entries(pages)) {
      const where = await page
        .evaluate(() => {
          const app = document.querySelector<HTMLElement>('.app');
          const scan = document.querySelector<HTMLElement>('[data-scan-phase]');
          const error = document.querySelector<HTMLElement>('[data-error-code]');
          return `${app?.dataset.screen} ${scan?.dataset.scanPhase ?? ''} ${error?.dataset.errorCode ?? ''}`;
        })
        .catch(() => 'closed');
      console.log(`# ${name} failed at: ${where}`);
      await page.screenshot({ path: join(RESULTS, dir, `failed-${name}.png`) }).catch(() => undefined);
    }
  }

  /** Journey A on the helper's phone with the app chosen, then its QR code for the new phone. */
  async function helperShowsQr(
    locale: Locale,
    page: Page,
    n: Shots,
    person: { userId: string; phoneNumber: string; passport: string; cpr: string },
  ) {
    const { T, shot, heading, button } = ui(locale);
    await driveJourneyA(e2e, page, {
      locale,
      passport: e2e.passports.get(person.passport)!,
      cpr: person.cpr,
      phoneNumber: person.phoneNumber,
      userId: person.userId,
      authenticator: 'app',
      mrz: 'manual',
    });
    await shot(page, n, 'done-app', 'done.title');
    await button(page, 'transfer.done.activateApp').click();
    await heading(page, 'transfer.show.title');
    await shot(page, n, 'show-intro', 'transfer.show.title');
    await button(page, 'transfer.show.button').click();
    const qr = await imageUrl(page, 'transfer-qr');
    await page.getByText(T['transfer.qr.validFor'].replace('{{time}}', '')).waitFor();
    await shot(page, n, 'show-qr', 'transfer.show.title');
    return qr;
  }

  const helped = {
    en: { userId: 'anna.copy.en', phoneNumber: '31234560', passport: 'anna-b-en', cpr: '120874-1234' },
    kl: { userId: 'maja.copy.kl', phoneNumber: '31234562', passport: 'maja-b-kl', cpr: MAJA.cpr },
  } as const;

  for (const locale of ['en', 'kl'] as const) {
    it(`in ${locale}: helper → new phone (number + PIN approval of a demo-service login)`, async () => {
      const person = helped[locale];
      const phone1 = await e2e.phone(locale);
      const phone2 = await e2e.phone(locale);
      try {
        const n1 = shots(`b-${locale}/helper`);
        const qr = await helperShowsQr(locale, phone1.page, n1, person);
        await activateNewPhone(locale, {
          page: phone2.page,
          origin: e2e.url,
          showing: phone1.page,
          showingQr: qr,
          n: shots(`b-${locale}/new-phone`),
          helperShots: n1,
          ...person,
          biometrics: false,
          mistakes: true,
        });
        await loginWithApp(locale, {
          phone: phone2.page,
          n: shots(`b-${locale}/approve`),
          desktopShots: shots(`b-${locale}/desktop`),
          userId: person.userId,
          cpr: person.cpr,
          seen: 'number',
          biometrics: false,
          wrongNumberFirst: true,
        });
      } catch (e) {
        await whereFailed(`b-${locale}`, { helper: phone1.page, 'new-phone': phone2.page });
        throw e;
      } finally {
        await phone1.context.close();
        await phone2.context.close();
      }
    });
  }

  it('in da: helper → phone 2, phone 2 → phone 3 with biometrics (QR + biometrics approval)', async () => {
    const locale = 'da';
    const { T, shot, heading, button, field } = ui(locale);
    const person = {
      userId: 'anna.copy.da',
      phoneNumber: '31234561',
      passport: 'anna-b-da',
      cpr: '120874-1234',
    };
    const phone1 = await e2e.phone(locale);
    const phone2 = await e2e.phone(locale);
    const phone3 = await e2e.phone(locale);
    try {
      const n1 = shots('b-da/helper');
      const qr = await helperShowsQr(locale, phone1.page, n1, person);
      await activateNewPhone(locale, {
        page: phone2.page,
        origin: e2e.url,
        showing: phone1.page,
        showingQr: qr,
        n: shots('b-da/new-phone'),
        helperShots: n1,
        ...person,
        biometrics: false,
        mistakes: true,
      });

      // Journey B from an activated app: phone 2 → phone 3 (signed requests, PIN, signed proximity).
      const p2 = phone2.page;
      const n2 = shots('b-da/old-phone');
      await p2.getByRole('button', { name: T['home.openMenu'] }).click();
      await heading(p2, 'menu.title');
      await shot(p2, n2, 'menu-activated', 'menu.title');
      await p2.getByRole('button', { name: startsWith(T['transfer.menu']) }).click();
      await heading(p2, 'transfer.show.title');
      await field(p2, 'transfer.pin.label').fill('000000');
      await button(p2, 'transfer.show.button').click();
      await p2.getByRole('alert').getByText(T['app.pin.wrong']).waitFor();
      await shot(p2, n2, 'transfer-pin-wrong', 'transfer.show.title');
      await field(p2, 'transfer.pin.label').fill(PIN);
      await shot(p2, n2, 'transfer-pin', 'transfer.show.title');
      await button(p2, 'transfer.show.button').click();
      const qr2 = await imageUrl(p2, 'transfer-qr');
      await shot(p2, n2, 'show-qr', 'transfer.show.title');

      // Phone 3 runs on the public URL's origin (WebAuthn's relying party) with Chromium's virtual
      // platform authenticator (user verification always succeeds).
      const p3 = phone3.page;
      const cdp = await phone3.context.newCDPSession(p3);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      await activateNewPhone(locale, {
        page: p3,
        origin: publicUrl,
        showing: p2,
        showingQr: qr2,
        n: shots('b-da/phone-3'),
        helperShots: n2,
        ...person,
        biometrics: true,
        mistakes: false,
      });
      // Phone 2 is still active after the copy.
      await button(p2, 'done.finish').click();
      await heading(p2, 'appHome.title');

      await loginWithApp(locale, {
        phone: p3,
        n: shots('b-da/approve'),
        desktopShots: shots('b-da/desktop'),
        userId: person.userId,
        cpr: person.cpr,
        seen: 'qr',
        biometrics: true,
        wrongNumberFirst: false,
      });
    } catch (e) {
      await whereFailed('b-da', { helper: phone1.page, 'phone-2': phone2.page, 'phone-3': phone3.page });
      throw e;
    } finally {
      await phone1.context.close();
      await phone2.context.close();
      await phone3.context.close();
    }
  });
});
