// What every end-to-end test of the app shares: a real Tillid server in the test process (SQLite, SMS outbox,
// the real vision engine, the built app at /app/, test code displays in the inventory), Debian's Chromium
// headless through playwright-core, phones as browser contexts with a synthetic camera, axe + a screenshot per
// screen, and journey A driven up to its last screen. See journey-a.e2e.test.ts for the journey with its
// error screens.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDocument, decodeDg1, loadOrCreateTestCsca, saveTestDocument } from '@tillid/mrtd/node';
import { loadConfig, openStore, type RunningServer, startServer } from '@tillid/server';
import { Jpeg2000Codec } from '@tillid/vision';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { SecretBox } from '../../../packages/server/src/crypto/secret-box.ts';
import { freePort } from '../../../packages/server/src/oidc/testing/test-browser.ts';
import { importTokens } from '../../../packages/server/src/tokens/import-tokens.ts';
import { fixture, HELD_OUT } from '../../../packages/vision/test/synth/face-sets.ts';
import { portraitSource, poseFrame } from '../../../packages/vision/test/synth/liveness-frames.ts';
import {
  cameraShot,
  DEFAULT_CAMERA,
  renderDocument,
} from '../../../packages/vision/test/synth/mrz-render.ts';
import { buildDemoApp } from '../../demo-service/src/demo-app.ts';
import { buildIfStale } from '../build-if-stale.ts';
import { builtLoginPage, registerAppRoutes } from '../serve.ts';
import { TEXTS, type TextKey } from '../src/locales/index.ts';
import { type FakeCameraScenes, fakeCameraScript } from './fake-camera.ts';

export { TEXTS, type TextKey };
export type Locale = keyof typeof TEXTS;

export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM: string | false = !existsSync(CHROMIUM) && `no ${CHROMIUM}`;
export const RESULTS = new URL('../../../test-results/app/', import.meta.url).pathname;
const PSKC = new URL('../../../packages/server/test/fixtures/pskc/tillid-totp-plain.pskcxml', import.meta.url)
  .pathname;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An accessible name that starts with the text (buttons whose content also holds a hint). */
export const startsWith = (s: string) => new RegExp(`^${escapeRegExp(s)}`);

export interface PassportSpec {
  /** The virtual passport's name in the chip screen's list. */
  readonly name: string;
  readonly documentNumber: string;
  readonly pace?: boolean;
  /** The holder (default ANNA MARIA ERIKSSON, born 740812: the demo register's CPR 120874-1234). */
  readonly holder?: { readonly surname: string; readonly givenNames: string; readonly dateOfBirth: string };
}

/**
 * The passports' date of expiry, fixed: by default a test document expires five years from today, so the MRZ
 * the camera shows would change every day, and with it what the OCR reads. On 2026-12-07 the Danish
 * passport's frame with 311207 was never read (the OCR found no valid code in three minutes); the same frame
 * with 311206 had been read the day before. A fixed date keeps the journeys the same every day; the OCR's
 * misses are measured by packages/vision's benchmark, not here.
 */
const E2E_DATE_OF_EXPIRY = '311206';

/** Another person of the demo population register (CPR 290200-4563), for tests that need a second identity. */
export const MAJA = {
  surname: 'NIELSEN',
  givenNames: 'MAJA',
  dateOfBirth: '000229',
  cpr: '290200-4563',
} as const;

export interface Passport {
  readonly name: string;
  readonly documentNumber: string;
  readonly dateOfBirth: string;
  readonly dateOfExpiry: string;
  /** Given names and surname as the chip screen shows them. */
  readonly holder: string;
  /** The camera scene showing this passport's data page. */
  readonly mrzScene: string;
}

export interface E2E {
  readonly server: RunningServer;
  readonly url: string;
  readonly browser: Browser;
  readonly dir: string;
  readonly passports: ReadonlyMap<string, Passport>;
  /** A phone: a browser context with a synthetic camera (scenes: the poses, each passport's MRZ, and `extra`). */
  phone(
    locale: Locale,
    options?: { mrzScene?: string; extraScenes?: FakeCameraScenes },
  ): Promise<{ context: BrowserContext; page: Page }>;
  /** Waits for the heading, runs axe (zero violations), writes test-results/app/<dir>/NN-name.png. */
  screen(page: Page, shots: Shots, name: string, title?: TextKey, locale?: Locale): Promise<void>;
  /** The 8-digit code of the latest SMS to the number (development outbox). */
  smsCode(phoneNumber: string): Promise<string>;
  /** The current code of a test device (TEST-0001, TEST-0002) from the virtual code display. */
  deviceCode(serial: string): Promise<string>;
  close(): Promise<void>;
}

/** Where one test's screenshots go and how many it took. */
export interface Shots {
  readonly dir: string;
  i: number;
}

export function shots(dir: string): Shots {
  mkdirSync(join(RESULTS, dir), { recursive: true });
  return { dir, i: 0 };
}

export async function startE2E(options: {
  readonly passports: readonly PassportSpec[];
  readonly env?: Readonly<Record<string, string>>;
}): Promise<E2E> {
  await buildIfStale({ log: (l) => process.stdout.write(`# ${l}\n`) });
  const dir = mkdtempSync(join(tmpdir(), 'tillid-app-e2e-'));
  const passportsDir = join(dir, 'passports');
  const cscaPath = join(dir, 'test-csca.json');
  const csca = loadOrCreateTestCsca(cscaPath);
  const scenes: Record<string, string> = {};
  const passports = new Map<string, Passport>();
  // The chip photo is the ICAO sample portrait; the camera shows the same face (warped per pose).
  const face = new Uint8Array(fixture(HELD_OUT.portraitJp2));
  for (const [i, spec] of options.passports.entries()) {
    const document = await createTestDocument({
      csca,
      face,
      surname: spec.holder?.surname ?? 'ERIKSSON',
      givenNames: spec.holder?.givenNames ?? 'ANNA MARIA',
      dateOfBirth: spec.holder?.dateOfBirth ?? '740812',
      documentNumber: spec.documentNumber,
      dateOfExpiry: E2E_DATE_OF_EXPIRY,
      pace: spec.pace ?? true,
      aa: 'ec',
    });
    saveTestDocument(join(passportsDir, spec.name), document);
    const dg1 = decodeDg1(document.files.get('DG1')!).mrz;
    // A steadier camera than DEFAULT_CAMERA: the frame is re-encoded by the browser before the OCR sees
    // it, and the OCR misses many DEFAULT_CAMERA shots (docs/app.md).
    const shot = await cameraShot(await renderDocument({ format: 'TD3', lines: [...dg1.lines] }), {
      ...DEFAULT_CAMERA,
      perspective: 0.02,
      blurSigma: 0.5,
      noiseSigma: 2,
      jpegQuality: 92,
      seed: 7 + i,
    });
    const mrzScene = `mrz-${spec.name}`;
    scenes[mrzScene] = `data:image/jpeg;base64,${shot.toString('base64')}`;
    passports.set(spec.name, {
      name: spec.name,
      documentNumber: dg1.documentNumber,
      dateOfBirth: dg1.dateOfBirth,
      dateOfExpiry: dg1.dateOfExpiry,
      holder: `${dg1.givenNames} ${dg1.surname}`,
      mrzScene,
    });
  }
  const portrait = await portraitSource(await Jpeg2000Codec.load());
  for (const pose of ['neutral', 'turn-left', 'turn-right', 'look-up', 'move-closer'] as const) {
    const jpeg = await poseFrame(portrait, pose, { seed: 3 });
    scenes[pose] = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  }

  const env = {
    TILLID_MODE: 'development',
    TILLID_HOST: '127.0.0.1',
    TILLID_PORT: '0',
    TILLID_DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'tillid.db')}`,
    TILLID_TEST_CSCA: cscaPath,
    TILLID_VISION: 'on',
    TILLID_LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    ...options.env,
  };
  const config = loadConfig({ env, cwd: dir });
  // The inventory holds the test code displays TEST-0001/0002 before the server starts (journey C).
  const store = await openStore(config.database);
  try {
    await importTokens(
      { store, secretBox: new SecretBox(config.secrets.encryptionKey) },
      { xml: readFileSync(PSKC, 'utf8'), model: 'display', actor: 'test', now: Date.now() },
    );
  } finally {
    await store.close();
  }
  const server = await startServer(config, {
    env,
    loginPage: builtLoginPage(),
    extend: (app) => registerAppRoutes(app, { development: { passportsDir, testCscaPath: cscaPath } }),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

  return {
    server,
    url: server.url,
    browser,
    dir,
    passports,
    async phone(locale, phoneOptions = {}) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: locale === 'kl' ? 'kl-GL' : locale === 'da' ? 'da-DK' : 'en-GB',
        serviceWorkers: 'block',
      });
      const mrz = phoneOptions.mrzScene ? scenes[phoneOptions.mrzScene] : scenes.neutral;
      const cameraScenes: FakeCameraScenes = { ...scenes, mrz: mrz!, ...phoneOptions.extraScenes };
      await context.addInitScript({ content: fakeCameraScript(cameraScenes) });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      if (process.env.E2E_DEBUG) page.on('console', (m) => console.log('# console', m.text()));
      return { context, page };
    },
    async screen(page, s, name, title, locale) {
      if (title) {
        const lang = (locale ?? (await page.evaluate(() => document.documentElement.lang))) as Locale;
        await page.getByRole('heading', { level: 1, name: TEXTS[lang][title] }).waitFor();
      }
      await checkAccessibility(page, `${s.dir}/${name}`);
      s.i += 1;
      await page.screenshot({
        path: join(RESULTS, s.dir, `${String(s.i).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      });
    },
    async smsCode(phoneNumber) {
      const r = await fetch(`${server.url}/dev/outbox?format=json&to=${encodeURIComponent(phoneNumber)}`);
      const { messages } = (await r.json()) as { messages: { text: string }[] };
      const code = messages[0]?.text.match(/\d{8}/)?.[0];
      assert.ok(code, `an SMS code was sent to ${phoneNumber}`);
      return code;
    },
    async deviceCode(serial) {
      const r = await fetch(`${server.url}/dev/code-display/code?serial=${encodeURIComponent(serial)}`);
      const { code } = (await r.json()) as { code: string };
      assert.match(code, /^\d{6}$/);
      return code;
    },
    async close() {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** axe-core with zero violations (WCAG 2.2 AA + best practice), injected through the DevTools protocol. */
/** The demo service's name as registered, as the login pages and the app show it. */
export const DEMO_SERVICE = 'Tillid demo service';
const DEMO_SECRET = 'e2e-demo-service-secret-not-for-anything-else';

export interface E2EWithDemo {
  readonly e2e: E2E;
  /** Tillid's public URL (the OIDC issuer is `<publicUrl>/oidc`). */
  readonly publicUrl: string;
  readonly demoUrl: string;
  close(): Promise<void>;
}

/**
 * `startE2E` on a known port with the demo service beside it, logging in through Tillid (openid-client, scopes
 * `openid profile ssn`), registered through a clients file read when the provider starts. Everything runs on
 * `localhost`: WebAuthn needs a domain (not an IP address) as the relying party.
 */
export async function startE2EWithDemo(options: {
  readonly passports: readonly PassportSpec[];
}): Promise<E2EWithDemo> {
  const [port, demoPort] = [await freePort(), await freePort()];
  const publicUrl = `http://localhost:${port}`;
  const demoUrl = `http://localhost:${demoPort}`;
  const clientsDir = mkdtempSync(join(tmpdir(), 'tillid-e2e-clients-'));
  const clients = join(clientsDir, 'clients.json');
  writeFileSync(
    clients,
    JSON.stringify({
      clients: [
        {
          client_id: 'demo-service',
          client_name: DEMO_SERVICE,
          client_secret: DEMO_SECRET,
          redirect_uris: [`${demoUrl}/callback`],
        },
      ],
    }),
  );
  let e2e: E2E | undefined;
  try {
    e2e = await startE2E({
      passports: options.passports,
      env: {
        TILLID_HOST: 'localhost',
        TILLID_PORT: String(port),
        TILLID_PUBLIC_URL: publicUrl,
        TILLID_OIDC_CLIENTS: clients,
      },
    });
    const demo = buildDemoApp({
      issuer: `${publicUrl}/oidc`,
      clientId: 'demo-service',
      clientSecret: DEMO_SECRET,
      redirectUri: `${demoUrl}/callback`,
      scope: 'openid profile ssn',
      allowHttpIssuer: true,
    });
    await demo.listen({ host: 'localhost', port: demoPort });
    const started = e2e;
    return {
      e2e: started,
      publicUrl,
      demoUrl,
      close: async () => {
        await demo.close();
        await started.close();
        rmSync(clientsDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await e2e?.close();
    rmSync(clientsDir, { recursive: true, force: true });
    throw e;
  }
}

export async function checkAccessibility(page: Page, where: string): Promise<void> {
  // Through the DevTools protocol, so the app's Content-Security-Policy stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
      }
    ).axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    }),
  )) as { violations: { id: string; help: string; nodes: { html: string }[] }[] };
  assert.deepEqual(
    result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.html).join(' | ')})`),
    [],
    `axe on ${where}`,
  );
}

export interface JourneyAOptions {
  readonly locale: Locale;
  readonly passport: Passport;
  /** The person's CPR number (the demo register's; it must match the passport's birth date). */
  readonly cpr: string;
  /** A Danish mobile number without +45. */
  readonly phoneNumber: string;
  readonly userId: string;
  /** What the person picks at the end. */
  readonly authenticator: 'app' | 'code-display' | 'code-reader' | 'chip';
  /** 'manual' types the MRZ (fast); 'camera' lets the server's OCR read the phone's MRZ scene. */
  readonly mrz: 'manual' | 'camera';
  /**
   * Development mode's "make a test passport with my own face": the phone's camera photo becomes the chip
   * photo of a new virtual passport (holder ANNA MARIA ERIKSSON, born 1974-08-12), which is then read.
   */
  readonly ownFace?: boolean;
  readonly shots?: Shots;
}

/**
 * Journey A on the helper's phone, from the home screen to the last screen ('done'), the happy path only.
 * Screenshots are taken when `shots` is given.
 */
export async function driveJourneyA(e2e: E2E, page: Page, o: JourneyAOptions): Promise<void> {
  const T = TEXTS[o.locale];
  const form = () => page.locator('form');
  const next = () => page.getByRole('button', { name: T['app.next'], exact: true }).click();
  const shot = async (name: string, title?: TextKey) =>
    o.shots ? e2e.screen(page, o.shots, name, title, o.locale) : undefined;
  const heading = (key: TextKey) => page.getByRole('heading', { level: 1, name: T[key] }).waitFor();

  await page.goto(`${e2e.url}/app/?lang=${o.locale}`);
  await heading('home.title');
  await page.getByRole('button', { name: T['home.openMenu'] }).click();
  await page.getByRole('button', { name: startsWith(T['menu.activate']) }).click();
  await page.getByRole('button', { name: startsWith(T['activate.helpOther']) }).click();
  await page.getByRole('button', { name: T['intro.start'] }).click();
  await heading('docType.title');
  await form().getByLabel(T['docType.passport'], { exact: true }).check();
  await next();
  await page.getByTestId('terms-text').waitFor();
  await next();
  await page.locator('.legal').waitFor();
  await next();
  await heading('stepDone.title');
  await next();
  await heading('country.title');
  await form().getByLabel(T['country.label'], { exact: true }).selectOption('UTO');
  await next();
  await heading('reference.title');
  await form().getByLabel(T['reference.cpr'], { exact: true }).check();
  await next();
  await heading('cpr.title');
  await form().getByLabel(T['cpr.label'], { exact: true }).fill(o.cpr);
  await next();
  await heading('verify.title');
  await page.getByRole('button', { name: T['verify.start'] }).click();
  if (o.mrz === 'manual') {
    await heading('mrz.title');
    await page.getByRole('button', { name: T['mrz.typeInstead'] }).click();
    await heading('mrzManual.title');
    const iso = (yymmdd: string, century: string) =>
      `${century}${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
    await form().getByLabel(T['mrzManual.documentNumber'], { exact: true }).fill(o.passport.documentNumber);
    const century = Number(o.passport.dateOfBirth.slice(0, 2)) > 30 ? '19' : '20';
    await form()
      .getByLabel(T['mrzManual.dateOfBirth'], { exact: true })
      .fill(iso(o.passport.dateOfBirth, century));
    await form()
      .getByLabel(T['mrzManual.dateOfExpiry'], { exact: true })
      .fill(iso(o.passport.dateOfExpiry, '20'));
    await next();
  }
  await page.getByRole('heading', { level: 1, name: T['chip.title'] }).waitFor({ timeout: 60_000 });
  let passportName = o.passport.name;
  if (o.ownFace) {
    await page.getByRole('button', { name: T['chip.makeOwn'] }).click();
    await heading('makePassport.title');
    await shot('make-passport', 'makePassport.title');
    await page.getByRole('button', { name: T['makePassport.take'] }).click();
    const made = page.getByRole('status').filter({ hasText: /selfie-/ });
    await made.waitFor();
    passportName = (await made.textContent())?.match(/selfie-[a-z0-9]+/)?.[0] ?? '';
    await shot('make-passport-made');
    await next();
    await page.getByRole('heading', { level: 1, name: T['chip.title'] }).waitFor();
  }
  await form()
    .getByLabel(startsWith(T['chip.virtual'].replace('{{name}}', passportName)))
    .check();
  await page.getByRole('button', { name: T['chip.read'] }).click();
  const holder = o.ownFace ? 'ANNA MARIA ERIKSSON' : o.passport.holder;
  await page.getByText(T['chip.verified'].replace('{{name}}', holder)).waitFor();
  await next();
  await heading('face.title');
  await page.getByRole('button', { name: T['face.start'] }).click();
  await page.getByRole('heading', { level: 1, name: T['lookAway.title'] }).waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: T['lookAway.next'] }).click();
  await heading('userId.title');
  await form().getByLabel(T['userId.label'], { exact: true }).fill(o.userId);
  await next();
  await heading('phone.title');
  await form().getByLabel(T['phone.label'], { exact: true }).fill(o.phoneNumber);
  await next();
  await heading('sms.title');
  await form()
    .getByLabel(T['sms.label'], { exact: true })
    .fill(await e2e.smsCode(`+45${o.phoneNumber}`));
  await next();
  await heading('authenticator.title');
  await shot('authenticator', 'authenticator.title');
  if (o.authenticator === 'app') {
    await form().getByLabel(startsWith(T['authenticator.app'])).check();
    await next();
  } else {
    await form().getByLabel(startsWith(T['authenticator.device'])).check();
    await next();
    await heading('device.title');
    await page.getByRole('button', { name: T[`device.${o.authenticator}`] }).click();
  }
  await heading('done.title');
  await shot('done', 'done.title');
}

export interface CodeDisplayActivation {
  readonly locale: Locale;
  /** The new password (typed twice). */
  readonly password: string;
  /** The test device's serial (TEST-0001 or TEST-0002), typed in lower case as a person might. */
  readonly serial: string;
  /** 'done': journey A's last screen (taps "Set up the code display"); 'haveDevice': already there. */
  readonly from: 'done' | 'haveDevice';
  /** Also try a refused password, an unknown serial and a wrong code, each shown on its form. */
  readonly mistakes?: boolean;
  readonly shots?: Shots;
}

/**
 * Journey C's activation of a code display right after journey A (DESIGN §1 C): "Yes, activate" → look away →
 * the password twice → serial → one-time code → activated. Keyboard only from the choice to the password.
 */
export async function activateCodeDisplay(e2e: E2E, page: Page, o: CodeDisplayActivation): Promise<string> {
  const T = TEXTS[o.locale];
  const device = T['device.code-display'].toLowerCase();
  const title = (key: TextKey) => {
    const text = T[key].replace('{{device}}', device);
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  const heading = (key: TextKey) => page.getByRole('heading', { level: 1, name: title(key) });
  const form = () => page.locator('form');
  const next = () => page.getByRole('button', { name: T['app.next'], exact: true }).click();
  const shot = async (name: string, key?: TextKey) =>
    o.shots ? e2e.screen(page, o.shots, name, key, o.locale) : undefined;

  if (o.from === 'done') await page.getByRole('button', { name: title('done.setUp') }).click();
  await heading('haveDevice.title').waitFor();
  await page.getByRole('button', { name: startsWith(T['haveDevice.yes']) }).focus();
  await page.keyboard.press('Enter');
  await heading('tokenLookAway.title').waitFor();
  await shot('c-look-away');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await heading('password.title').waitFor();

  if (o.mistakes) {
    // A password the server's rules refuse; the server answers the good one's strength.
    await form().getByLabel(T['password.label'], { exact: true }).fill('Password2024!x');
    await form().getByLabel(T['password.repeat'], { exact: true }).fill('Password2024!x');
    await next();
    await page.getByRole('alert').waitFor();
    await shot('c-password-refused');
  }
  await form().getByLabel(T['password.label'], { exact: true }).fill(o.password);
  await form().getByLabel(T['password.repeat'], { exact: true }).fill(o.password);
  await shot('c-password', 'password.title');
  await next();
  await heading('serial.title').waitFor();
  const strength = Number(await page.locator('[data-strength]').getAttribute('data-strength'));
  assert.ok(strength >= 3, `strength ${strength}`);

  if (o.mistakes) {
    await form().getByLabel(title('serial.label'), { exact: true }).fill('NOPE-0000');
    await next();
    await page.getByRole('alert').getByText(T['error.token.unavailable']).waitFor();
    await shot('c-serial-unknown');
  }
  await form().getByLabel(title('serial.label'), { exact: true }).fill(o.serial.toLowerCase());
  await shot('c-serial', 'serial.title');
  await next();

  await heading('otp.title').waitFor();
  const serial = o.serial.toUpperCase();
  if (o.mistakes) {
    // A wrong code first: the form says how many attempts are left.
    const code = await e2e.deviceCode(serial);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await form().getByLabel(title('otp.label'), { exact: true }).fill(wrong);
    await next();
    await page.getByRole('alert').getByText(T['error.otp.wrong']).waitFor();
    await shot('c-otp-wrong');
  }
  const used = await e2e.deviceCode(serial);
  await form().getByLabel(title('otp.label'), { exact: true }).fill(used);
  await shot('c-otp', 'otp.title');
  await next();
  await heading('activated.title').waitFor();
  await shot('c-activated');
  return used;
}

/**
 * A code of the test device that was not used yet: each code is accepted once, so after `used` this waits for
 * the device's next time step (RFC 6238 §4, 30 s) by polling the virtual code display.
 */
export async function freshDeviceCode(e2e: E2E, serial: string, used: string): Promise<string> {
  for (;;) {
    const code = await e2e.deviceCode(serial);
    if (code !== used) return code;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
