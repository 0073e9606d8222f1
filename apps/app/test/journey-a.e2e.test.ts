// Journey A end to end in Debian's Chromium (headless, playwright-core): a real Tillid server in this
// process (SQLite, SMS outbox, the real vision engine for MRZ OCR, face match and liveness), the built app
// at /app/, a virtual passport read in the browser by @tillid/mrtd, and a synthetic camera (fake-camera.ts).
// Runs in Danish, English and Greenlandic; every screen is checked with axe-core (zero violations) and
// photographed to test-results/app/<locale>/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  activateCodeDisplay,
  type E2E,
  type Locale,
  MAJA,
  NO_CHROMIUM,
  RESULTS,
  type Shots,
  shots,
  startE2E,
  startsWith,
  TEXTS,
  type TextKey,
} from './e2e-harness.ts';

type MessageKey = TextKey;

describe('journey A in the browser', { timeout: 600_000, skip: NO_CHROMIUM }, () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      // PACE in Danish and Greenlandic, BAC in English.
      // Anna in Danish and English; Maja, another person of the demo register, in Greenlandic (each
      // identity may hold one code display, and English and Greenlandic both activate one).
      passports: (['da', 'en', 'kl'] as const).map((locale, i) => ({
        name: `anna-${locale}`,
        documentNumber: `L89890${i}C`,
        pace: locale !== 'en',
        ...(locale === 'kl' ? { holder: MAJA } : {}),
      })),
    });
  });

  after(async () => {
    await e2e?.close();
  });

  const passportOf = (locale: Locale) => e2e.passports.get(`anna-${locale}`)!;
  // The MRZ scene of this locale's passport is what the camera shows at the MRZ screen.
  // (English types the details by hand: its camera shows a face, not the document.)
  const phone = (locale: Locale) =>
    e2e.phone(locale, locale === 'en' ? {} : { mrzScene: passportOf(locale).mrzScene });
  const screen = (page: Page, locale: Locale, n: Shots, name: string, title?: MessageKey) =>
    e2e.screen(page, n, name, title, locale);
  const smsCode = (phoneNumber: string) => e2e.smsCode(phoneNumber);

  /** Journey C right after journey A chose the code display: order one, then activate a test device. */
  async function journeyC(page: Page, locale: Locale, n: Shots, serial: string) {
    const T = TEXTS[locale];
    const device = T['device.code-display'].toLowerCase();
    const title = (key: MessageKey) => {
      const text = T[key].replace('{{device}}', device);
      return text.charAt(0).toUpperCase() + text.slice(1);
    };
    const heading = (key: MessageKey) => page.getByRole('heading', { level: 1, name: title(key) });
    const form = () => page.locator('form');

    await page.getByRole('button', { name: title('done.setUp') }).click();
    await heading('haveDevice.title').waitFor();
    await screen(page, locale, n, 'c-have-device');

    // "No, order": the form refuses empty fields, then the server takes the order.
    await page.getByRole('button', { name: startsWith(T['haveDevice.no']) }).click();
    await heading('order.title').waitFor();
    await page.getByRole('button', { name: T['order.submit'] }).click();
    await page.getByText(T['order.required']).first().waitFor();
    await screen(page, locale, n, 'c-order-missing');
    await form().getByLabel(T['order.name'], { exact: true }).fill(passportOf(locale).holder);
    await form().getByLabel(T['order.street'], { exact: true }).fill('Aqqusinersuaq 4');
    await form().getByLabel(T['order.postcode'], { exact: true }).fill('3900');
    await form().getByLabel(T['order.city'], { exact: true }).fill('Nuuk');
    await form().getByLabel(T['order.language'], { exact: true }).selectOption('kl');
    await screen(page, locale, n, 'c-order');
    await page.getByRole('button', { name: T['order.submit'] }).click();
    await heading('ordered.title').waitFor();
    await page.getByText(T['ordered.free']).waitFor();
    await screen(page, locale, n, 'c-ordered');

    // "Yes, activate": the person has another device already (the harness's activation, with mistakes).
    await page.getByRole('button', { name: T['ordered.haveOne'] }).click();
    await activateCodeDisplay(e2e, page, {
      locale,
      password: 'Hvalros-Fjeld-Kajak-83',
      serial,
      from: 'haveDevice',
      mistakes: true,
      shots: n,
    });
  }

  for (const [index, locale] of (['da', 'en', 'kl'] as const).entries()) {
    it(`completes journey A in ${locale}`, async () => {
      const T = TEXTS[locale];
      const n = shots(locale);
      const { context, page } = await phone(locale);
      const next = () => page.getByRole('button', { name: T['app.next'], exact: true }).click();
      try {
        await page.goto(`${e2e.url}/app/?lang=${locale}`);
        await screen(page, locale, n, 'home', 'home.title');
        await page.getByRole('button', { name: T['home.openMenu'] }).click();
        await screen(page, locale, n, 'menu', 'menu.title');
        await page.getByRole('button', { name: startsWith(T['menu.activate']) }).click();
        await screen(page, locale, n, 'activate', 'activate.title');
        await page.getByRole('button', { name: startsWith(T['activate.helpOther']) }).click();
        await screen(page, locale, n, 'intro', 'intro.title');
        await page.getByRole('button', { name: T['intro.start'] }).click();

        await page.getByRole('heading', { level: 1, name: T['docType.title'] }).waitFor();
        await next(); // nothing chosen: the form says so
        await page.getByText(T['docType.required']).waitFor();
        await screen(page, locale, n, 'doc-type-missing');
        await page.locator('form').getByLabel(T['docType.passport'], { exact: true }).check();
        await next();
        await page.getByTestId('terms-text').waitFor();
        await screen(page, locale, n, 'terms', 'terms.title');
        await next();
        await page.getByRole('heading', { level: 1, name: T['privacy.title'] }).waitFor();
        await page.locator('.legal').waitFor();
        await screen(page, locale, n, 'privacy', 'privacy.title');
        await next();
        await screen(page, locale, n, 'step-done', 'stepDone.title');
        await next();
        await screen(page, locale, n, 'country', 'country.title');
        await page.locator('form').getByLabel(T['country.label'], { exact: true }).selectOption('UTO');
        await next();
        await screen(page, locale, n, 'reference', 'reference.title');
        await page.locator('form').getByLabel(T['reference.cpr'], { exact: true }).check();
        await next();
        await page.getByRole('heading', { level: 1, name: T['cpr.title'] }).waitFor();
        if (locale === 'en') {
          // A malformed CPR number: the server's core message, shown on the form.
          await page.locator('form').getByLabel(T['cpr.label'], { exact: true }).fill('123');
          await next();
          await page.getByRole('alert').waitFor();
          await screen(page, locale, n, 'cpr-invalid');
        }
        await page
          .locator('form')
          .getByLabel(T['cpr.label'], { exact: true })
          .fill(locale === 'kl' ? MAJA.cpr : '120874-1234');
        await screen(page, locale, n, 'cpr', 'cpr.title');
        await next();
        await screen(page, locale, n, 'verify', 'verify.title');
        await page.getByRole('button', { name: T['verify.start'] }).click();

        const passport = passportOf(locale);
        if (locale === 'en') {
          // The camera shows no document here: the OCR finds no code, and the screen says so.
          await page.locator('[data-mrz-phase="notFound"]').waitFor({ timeout: 60_000 });
          await screen(page, locale, n, 'mrz-scan', 'mrz.title');
          // Typed by hand, first with a wrong document number: the chip refuses the keys.
          await page.getByRole('button', { name: T['mrz.typeInstead'] }).click();
          await page.getByRole('heading', { level: 1, name: T['mrzManual.title'] }).waitFor();
          const iso = (yymmdd: string, century: string) =>
            `${century}${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
          await page
            .locator('form')
            .getByLabel(T['mrzManual.documentNumber'], { exact: true })
            .fill('X1234567');
          await page
            .locator('form')
            .getByLabel(T['mrzManual.dateOfBirth'], { exact: true })
            .fill(iso(passport.dateOfBirth, '19'));
          await page
            .locator('form')
            .getByLabel(T['mrzManual.dateOfExpiry'], { exact: true })
            .fill(iso(passport.dateOfExpiry, '20'));
          await screen(page, locale, n, 'mrz-manual', 'mrzManual.title');
          await next();
          await page.getByRole('heading', { level: 1, name: T['chip.title'] }).waitFor();
          await page
            .locator('form')
            .getByLabel(startsWith(T['chip.virtual'].replace('{{name}}', passport.name)))
            .check();
          await page.getByRole('button', { name: T['chip.read'] }).click();
          await page.getByRole('heading', { level: 1, name: T['error.title'] }).waitFor();
          assert.equal(
            await page.locator('[data-error-code]').getAttribute('data-error-code'),
            'ERR_CHIP_READ',
          );
          await screen(page, locale, n, 'error-chip-read', 'error.title');
          await page.getByRole('button', { name: T['error.goBack'] }).click();
          await page.getByRole('heading', { level: 1, name: T['mrzManual.title'] }).waitFor();
          await page
            .locator('form')
            .getByLabel(T['mrzManual.documentNumber'], { exact: true })
            .fill(passport.documentNumber);
          await page
            .locator('form')
            .getByLabel(T['mrzManual.dateOfBirth'], { exact: true })
            .fill(iso(passport.dateOfBirth, '19'));
          await page
            .locator('form')
            .getByLabel(T['mrzManual.dateOfExpiry'], { exact: true })
            .fill(iso(passport.dateOfExpiry, '20'));
          await next();
        }
        // Danish and Greenlandic: the server's OCR reads the MRZ from the camera frames.
        await page.getByRole('heading', { level: 1, name: T['chip.title'] }).waitFor({ timeout: 60_000 });
        await screen(page, locale, n, 'chip-choose', 'chip.title');
        await page
          .locator('form')
          .getByLabel(startsWith(T['chip.virtual'].replace('{{name}}', passport.name)))
          .check();
        await page.getByRole('button', { name: T['chip.read'] }).click();
        await page.getByRole('heading', { level: 1, name: T['chip.hold'] }).waitFor();
        await screen(page, locale, n, 'chip-reading', 'chip.hold');
        await page.getByText(T['chip.verified'].replace('{{name}}', passport.holder)).waitFor();
        await screen(page, locale, n, 'chip-verified', 'chip.title');
        await next();

        await screen(page, locale, n, 'face', 'face.title');
        await page.getByRole('button', { name: T['face.start'] }).click();
        // The challenge is random: photograph the first movement the screen asks for.
        await page.locator('[data-liveness-step]:not([data-liveness-step="neutral"])').waitFor();
        await screen(page, locale, n, 'face-challenge');
        await page.getByRole('heading', { level: 1, name: T['lookAway.title'] }).waitFor({ timeout: 90_000 });
        await screen(page, locale, n, 'look-away', 'lookAway.title');
        await page.getByRole('button', { name: T['lookAway.next'] }).click();

        await screen(page, locale, n, 'user-id', 'userId.title');
        await page.locator('form').getByLabel(T['userId.label'], { exact: true }).fill('ab');
        await next();
        await page.getByRole('alert').waitFor();
        await screen(page, locale, n, 'user-id-invalid');
        await page
          .locator('form')
          .getByLabel(T['userId.label'], { exact: true })
          .fill(`anna ${locale} ${Date.now() % 100000}`);
        await next();
        await screen(page, locale, n, 'phone', 'phone.title');
        const number = `2012345${index}`;
        await page.locator('form').getByLabel(T['phone.label'], { exact: true }).fill(number);
        await next();
        await screen(page, locale, n, 'sms', 'sms.title');
        await page
          .locator('form')
          .getByLabel(T['sms.label'], { exact: true })
          .fill(await smsCode(`+45${number}`));
        await next();
        await screen(page, locale, n, 'authenticator', 'authenticator.title');
        // English and Greenlandic go on to journey C with a code display; Danish picks the app.
        if (locale !== 'da') {
          await page.locator('form').getByLabel(startsWith(T['authenticator.device'])).check();
          await next();
          await screen(page, locale, n, 'device', 'device.title');
          await page.getByRole('button', { name: T['device.code-display'] }).click();
        } else {
          await page.locator('form').getByLabel(startsWith(T['authenticator.app'])).check();
          await next();
        }
        await screen(page, locale, n, 'done', 'done.title');
        if (locale !== 'da') await journeyC(page, locale, n, locale === 'en' ? 'TEST-0001' : 'TEST-0002');
      } catch (e) {
        await page.screenshot({ path: join(RESULTS, locale, 'failure.png'), fullPage: true }).catch(() => {});
        throw e;
      } finally {
        await context.close();
      }
    });
  }
});
