// Journeys C and D end to end in Debian's Chromium (playwright-core): the person enrolled in journey A sets
// up a code display or a chip (FIDO2 security key, Chromium's virtual WebAuthn authenticator) and logs in
// to the demo service (apps/demo-service, openid-client) through Tillid's login pages, which must end on the
// service with the claims and the assurance level. Every login screen is checked with axe and photographed
// in Danish, English and Greenlandic (test-results/app/login-*/).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  activateCodeDisplay,
  DEMO_SERVICE,
  driveJourneyA,
  type E2E,
  type E2EWithDemo,
  freshDeviceCode,
  type Locale,
  MAJA,
  NO_CHROMIUM,
  RESULTS,
  type Shots,
  shots,
  startE2EWithDemo,
  TEXTS,
  type TextKey,
} from './e2e-harness.ts';

const NSIS = 'https://data.gov.dk/concept/core/nsis/loa/';
const PASSWORD = 'Hvalros-Fjeld-Kajak-83';
const CPR = '120874-1234';

describe('journeys C and D: code display and chip logins in the browser', {
  timeout: 900_000,
  skip: NO_CHROMIUM,
}, () => {
  let e2e: E2E;
  let demoUrl: string;
  let running: E2EWithDemo | undefined;

  before(async () => {
    running = await startE2EWithDemo({
      passports: [
        { name: 'anna-code', documentNumber: 'L898911C' },
        { name: 'anna-chip', documentNumber: 'L898912C' },
        { name: 'maja-chip', documentNumber: 'L898913C', holder: MAJA },
      ],
    });
    ({ e2e, demoUrl } = running);
  });

  after(async () => {
    await running?.close();
  });

  /** A computer's browser (a wider window) for the service and the login pages. */
  const computer = (locale: Locale) =>
    e2e.browser.newContext({
      viewport: { width: 1024, height: 800 },
      locale: locale === 'kl' ? 'kl-GL' : locale === 'da' ? 'da-DK' : 'en-GB',
      serviceWorkers: 'block',
    });

  /** The login pages' helpers in one language. */
  function login(page: Page, locale: Locale, n: Shots | undefined) {
    const T = TEXTS[locale];
    const text = (key: TextKey, values: Record<string, string> = {}) =>
      Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), T[key]);
    const heading = (key: TextKey, values?: Record<string, string>) =>
      page.getByRole('heading', { level: 1, name: text(key, values) }).waitFor();
    const shot = async (name: string) => (n ? e2e.screen(page, n, name) : undefined);
    return {
      T,
      text,
      heading,
      shot,
      /** From the service's home page to Tillid's user-ID step. */
      async start() {
        await page.goto(`${demoUrl}/?lang=${locale}`);
        await page.getByRole('link', { name: 'Log in with Tillid' }).click();
        await heading('login.title', { service: DEMO_SERVICE });
        // The page asks for the language of the app (saved per browser), or the browser's own.
        await page.getByTestId('language').selectOption(locale);
        await heading('login.title', { service: DEMO_SERVICE });
      },
      /** The user-ID step; a browser that logged in before goes straight to its last method (`next`). */
      async userId(userId: string, next: TextKey = 'login.methods.title') {
        await page.getByTestId('login-user-id').fill(userId);
        await page.getByTestId('login-submit').click();
        await heading(next);
      },
      async method(id: string, title: TextKey) {
        await page.getByTestId(`login-method-${id}`).click();
        await heading(title);
      },
      /** Back on the demo service, logged in: the assurance level it shows. */
      async acr() {
        await page.waitForURL(`${demoUrl}/`);
        return page.locator('[data-acr]').getAttribute('data-acr');
      },
    };
  }

  async function failureShot(page: Page, dir: string) {
    await page.screenshot({ path: join(RESULTS, dir, 'failure.png'), fullPage: true }).catch(() => {});
  }

  // The chip first: both tests enroll the register's one test person again, and only a first enrollment
  // has no password yet (the chip's registration sets it; the code display's activation sets it anew).
  // English with Anna, Greenlandic with Maja (another person of the demo register).
  const chipRuns = [
    { locale: 'en', passport: 'anna-chip', cpr: CPR, phoneNumber: '20123471' },
    { locale: 'kl', passport: 'maja-chip', cpr: MAJA.cpr, phoneNumber: '20123472' },
  ] as const;
  for (const run of chipRuns) {
    it(`(3) journey A + chip in ${run.locale}: registers a security key, then logs in with password + key (hwk + pwd)`, async () => {
      const locale: Locale = run.locale;
      const T = TEXTS[locale];
      const n = shots(`login-chip-${locale}`);
      const { context, page } = await e2e.phone(locale);
      const userId = `${run.passport} ${Date.now() % 100000}`;
      try {
        // Chromium's virtual authenticator stands in for a USB security key (CTAP2, resident keys).
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        const { authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'usb',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
          },
        })) as { authenticatorId: string };

        await driveJourneyA(e2e, page, {
          locale,
          passport: e2e.passports.get(run.passport)!,
          cpr: run.cpr,
          phoneNumber: run.phoneNumber,
          userId,
          authenticator: 'chip',
          mrz: 'manual',
        });
        const chip = T['device.chip'].toLowerCase();
        const heading = (key: TextKey) => page.getByRole('heading', { level: 1, name: T[key] }).waitFor();
        await page
          .getByRole('button', {
            name: T['done.setUp'].replace('{{device}}', chip).replace(/^./, (c) => c.toUpperCase()),
          })
          .click();
        await heading('tokenLookAway.title');
        await e2e.screen(page, n, 'chip-look-away', 'tokenLookAway.title', locale);
        await page.getByRole('button', { name: T['tokenLookAway.next'] }).click();
        await heading('password.title');
        // Two different passwords: refused on the form (core's rules, before the key is touched).
        await page.locator('form').getByLabel(T['password.label'], { exact: true }).fill(PASSWORD);
        await page.locator('form').getByLabel(T['password.repeat'], { exact: true }).fill(`${PASSWORD}x`);
        await page.getByRole('button', { name: T['app.next'], exact: true }).click();
        await page.getByRole('alert').waitFor();
        await e2e.screen(page, n, 'chip-password-mismatch', 'password.title', locale);
        await page.locator('form').getByLabel(T['password.repeat'], { exact: true }).fill(PASSWORD);
        await e2e.screen(page, n, 'chip-password', 'password.title', locale);
        await page.getByRole('button', { name: T['app.next'], exact: true }).click();
        await heading('chipKey.key.title');
        await e2e.screen(page, n, 'chip-touch', 'chipKey.key.title', locale);
        await page.getByRole('button', { name: T['chipKey.key.register'] }).click();
        await heading('chipKey.registered.title');
        const strength = Number(await page.locator('[data-strength]').getAttribute('data-strength'));
        assert.ok(strength >= 3, `strength ${strength}`);
        await e2e.screen(page, n, 'chip-registered', 'chipKey.registered.title', locale);
        const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as {
          credentials: { isResidentCredential: boolean }[];
        };
        assert.equal(credentials.length, 1);
        assert.equal(credentials[0]?.isResidentCredential, true);

        // The login, in the same browser (the key is plugged into it): password + key.
        const l = login(page, locale, n);
        await l.start();
        await l.userId(userId);
        await l.method('chip', 'login.chip.title');
        await l.shot('chip');
        await page.getByTestId('login-password').fill(PASSWORD);
        await page.getByTestId('login-submit').click();
        // The key and the password are a High-strength pair (amr hwk + pwd), but journey A proofs the person
        // remotely (chip + face, not in person), which caps every login of this identity at Substantial.
        assert.equal(await l.acr(), `${NSIS}Substantial`);
        const claims = (await page.locator('main').textContent()) ?? '';
        assert.match(claims, /"hwk"/);
        assert.match(claims, /"pwd"/);
        await e2e.screen(page, n, 'demo-logged-in');
      } catch (e) {
        await failureShot(page, `login-chip-${locale}`);
        throw e;
      } finally {
        await context.close();
      }
    });
  }

  it('(2) journey A + C: activates the code display, then logs in to the demo service with it (acr Substantial)', async () => {
    const locale: Locale = 'da';
    const n = shots('login-code-display');
    const { context, page } = await e2e.phone(locale);
    let desk: BrowserContext | undefined;
    const userId = `anna kode ${Date.now() % 100000}`;
    try {
      await driveJourneyA(e2e, page, {
        locale,
        passport: e2e.passports.get('anna-code')!,
        cpr: CPR,
        phoneNumber: '20123470',
        userId,
        authenticator: 'code-display',
        mrz: 'manual',
      });
      const used = await activateCodeDisplay(e2e, page, {
        locale,
        password: PASSWORD,
        serial: 'TEST-0001',
        from: 'done',
      });

      desk = await computer(locale);
      const web = await desk.newPage();
      const l = login(web, locale, n);
      await l.start();
      await l.shot('user-id');
      await l.userId(userId);
      await l.shot('methods');
      await l.method('code-display', 'login.code.title.codeDisplay');
      await l.shot('code-display');
      // A wrong password: refused on the form, and the person's codes are not spent (the password comes first).
      await web.getByTestId('login-code').fill('000000');
      await web.getByTestId('login-password').fill('Forkert-Adgangskode-1');
      await web.getByTestId('login-submit').click();
      await web.getByRole('alert').getByText(l.T['login.failed']).waitFor();
      await l.shot('code-display-failed');
      await web.getByTestId('login-code').fill(await freshDeviceCode(e2e, 'TEST-0001', used));
      await web.getByTestId('login-password').fill(PASSWORD);
      await web.getByTestId('login-submit').click();
      assert.equal(await l.acr(), `${NSIS}Substantial`);
      const home = (await web.locator('main').textContent()) ?? '';
      assert.match(home, /120874-?1234/, 'the CPR number (scope ssn) reached the service');
      assert.match(home, /ANNA MARIA/i, 'the name (scope profile) reached the service');
      assert.match(home, /"otp"/);
      await e2e.screen(web, n, 'demo-logged-in');

      // A second login in this browser starts with the code display; the other methods list it first, as
      // the last used. Cancelling tells the service.
      await web.getByRole('link', { name: 'Log out' }).click();
      await l.start();
      await l.userId(userId, 'login.code.title.codeDisplay');
      await l.shot('code-display-remembered');
      await web.getByRole('button', { name: l.T['login.otherMethod'] }).click();
      await l.heading('login.methods.title');
      const first = web.locator('[data-testid^="login-method-"]').first();
      assert.equal(await first.getAttribute('data-testid'), 'login-method-code-display');
      await web.getByText(l.T['login.methods.last'], { exact: false }).first().waitFor();
      await l.shot('methods-last-used');
      await web.getByTestId('login-cancel').click();
      await web.waitForURL(new RegExp(`^${demoUrl}/callback`));
      await web.locator('[data-error="access_denied"]').waitFor();
    } catch (e) {
      await failureShot(page, 'login-code-display');
      throw e;
    } finally {
      await desk?.close();
      await context.close();
    }
  });

  for (const locale of ['da', 'en', 'kl'] as const) {
    it(`shows every login screen in ${locale} (axe, screenshots), for an unknown user-ID too`, async () => {
      const n = shots(`login-${locale}`);
      const desk = await computer(locale);
      const page = await desk.newPage();
      page.setDefaultTimeout(30_000);
      const l = login(page, locale, n);
      try {
        await l.start();
        await l.shot('user-id');
        await page.getByTestId('login-submit').click();
        await page.getByText(l.T['login.userId.required']).waitFor();
        await l.shot('user-id-missing');
        // Unknown user-IDs see exactly what known ones see, and fail only at the end.
        await l.userId(`nobody ${locale} here`);
        await l.shot('methods');
        await l.method('app', 'login.app.title');
        await page.getByTestId('login-qr').waitFor();
        assert.match((await page.getByTestId('login-number').textContent())?.trim() ?? '', /^\d{2}$/);
        await l.shot('app');
        await page.getByRole('button', { name: l.T['login.otherMethod'] }).click();
        await l.heading('login.methods.title');
        await l.method('code-reader', 'login.code.title.codeReader');
        await l.shot('code-reader');
        await page.getByTestId('login-code').fill('123456');
        await page.getByTestId('login-password').fill('Ikke-Min-Adgangskode-7');
        await page.getByTestId('login-submit').click();
        await page.getByRole('alert').getByText(l.T['login.failed']).waitFor();
        await l.shot('code-reader-failed');
        await page.getByRole('button', { name: l.T['login.otherMethod'] }).click();
        await l.method('chip', 'login.chip.title');
        await l.shot('chip');
        await page.getByTestId('login-cancel').click();
        await page.locator('[data-error="access_denied"]').waitFor();
        // The finished login cannot be reopened: the page says to start again at the service.
        await page.goBack();
        await l.heading('login.error.title');
        await l.shot('error-over');
      } catch (e) {
        await failureShot(page, `login-${locale}`);
        throw e;
      } finally {
        await desk.close();
      }
    });
  }
});
