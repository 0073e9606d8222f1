// The app's static routes on a Fastify instance: the built files, the client-side screens, the settings,
// no path outside the build, a clear page when nothing is built, and the development passport routes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerAppRoutes } from '../serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'tillid-app-serve-'));
const dist = join(dir, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'not for the web');
after(() => rmSync(dir, { recursive: true, force: true }));

async function appWith(options: Parameters<typeof registerAppRoutes>[1]) {
  const app = Fastify();
  registerAppRoutes(app, options);
  await app.ready();
  return app;
}

describe('registerAppRoutes', () => {
  it('serves the build, with long caching only for hashed assets and a CSP on every file', async () => {
    const app = await appWith({ distDir: dist });
    const index = await app.inject('/app/');
    assert.equal(index.statusCode, 200);
    assert.match(index.headers['content-type'] as string, /text\/html/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.match(index.headers['content-security-policy'] as string, /script-src 'self'/);
    const asset = await app.inject('/app/assets/index-abc.js');
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
    assert.equal((await app.inject('/app')).statusCode, 302);
    await app.close();
  });

  it('answers client-side screens with the app, and unknown files with 404', async () => {
    const app = await appWith({ distDir: dist });
    assert.equal((await app.inject('/app/enroll/step')).body, '<!doctype html><title>app</title>');
    assert.equal((await app.inject('/app/assets/missing.js')).statusCode, 404);
    await app.close();
  });

  it('never serves a file outside the build', async () => {
    const app = await appWith({ distDir: dist });
    for (const url of [
      '/app/../secret.txt',
      '/app/%2e%2e/secret.txt',
      '/app/%2e%2e%2fsecret.txt',
      '/app/..%5csecret.txt',
    ]) {
      const r = await app.inject(url);
      assert.doesNotMatch(r.body, /not for the web/, url);
    }
    await app.close();
  });

  it('says how to build when there is no build', async () => {
    const app = await appWith({ distDir: join(dir, 'nothing') });
    const r = await app.inject('/app/');
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build -w @tillid\/app/);
    await app.close();
  });

  it('tells the app whether development tools exist, and has no passport routes in production', async () => {
    const prod = await appWith({ distDir: dist });
    assert.deepEqual((await prod.inject('/app/config.json')).json(), { development: false });
    assert.equal((await prod.inject('/dev/passports')).statusCode, 404);
    await prod.close();
    const dev = await appWith({
      distDir: dist,
      development: { passportsDir: join(dir, 'passports'), testCscaPath: join(dir, 'csca.json') },
    });
    assert.deepEqual((await dev.inject('/app/config.json')).json(), { development: true });
    assert.deepEqual((await dev.inject('/dev/passports')).json(), { passports: [] });
    assert.equal((await dev.inject('/dev/passports/..')).statusCode, 404);
    const bad = await dev.inject({ method: 'POST', url: '/dev/passports', payload: { surname: '<script>' } });
    assert.equal(bad.statusCode, 422);
    await dev.close();
  });

  it('makes a test passport with a given face, lists it and hands out its files (development)', async () => {
    const dev = await appWith({
      distDir: dist,
      development: { passportsDir: join(dir, 'passports'), testCscaPath: join(dir, 'csca.json') },
    });
    const face = readFileSync(
      new URL('../../../packages/vision/test/fixtures/icao-39794-5-ap-face.jp2', import.meta.url),
    );
    const made = await dev.inject({
      method: 'POST',
      url: '/dev/passports',
      payload: {
        surname: 'Eriksson',
        givenNames: 'Anna Maria',
        dateOfBirth: '740812',
        face: face.toString('base64'),
      },
    });
    assert.equal(made.statusCode, 201, made.body);
    const { name, documentNumber, dateOfBirth } = made.json();
    assert.equal(dateOfBirth, '740812');
    const list = (await dev.inject('/dev/passports')).json();
    assert.deepEqual(list.passports, [{ name, holder: 'ANNA MARIA ERIKSSON', documentNumber }]);
    const files = (await dev.inject(`/dev/passports/${name}`)).json();
    assert.match(files.chipJson, /tillid-virtual-chip/);
    for (const f of ['EF_COM.bin', 'EF_SOD.bin', 'DG1.bin', 'DG2.bin', 'DG15.bin', 'EF_CardAccess.bin']) {
      assert.ok(files.files[f], f);
    }
    await dev.close();
  });
});
