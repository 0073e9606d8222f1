import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log/logger.ts';
import { openStore, type Store } from '../store/store.ts';
import { buildApp } from './app.ts';

describe('HTTP application', () => {
  let app: FastifyInstance;
  let store: Store;
  let startDraining: () => void;

  before(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tillid-app-'));
    const config = loadConfig({ env: { TILLID_BODY_LIMIT_BYTES: '2048' }, cwd });
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const built = await buildApp({
      config,
      store,
      logger: createLogger({ level: 'silent' }),
      extend: (a) => {
        a.post(
          '/echo',
          { schema: { body: z.object({ name: z.string().min(1), age: z.number().int() }) } },
          async (request) => request.body,
        );
        a.get('/boom', async () => {
          throw new Error('secret internals');
        });
        a.get('/app/*', async () => 'the phone app');
      },
    });
    app = built.app;
    startDraining = built.startDraining;
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('links the start page to the phone app when the process serves it', async () => {
    const page = await app.inject('/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/app\/">/);
  });

  it('answers /healthz and /readyz', async () => {
    assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' });
    assert.deepEqual((await app.inject('/readyz')).json(), { status: 'ready' });
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    const m = await app.inject('/metrics');
    assert.equal(m.statusCode, 200);
    assert.match(m.body, /tillid_http_request_duration_seconds/);
    assert.match(m.body, /tillid_process_cpu/);
    const doc = (await app.inject('/docs/json')).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/healthz']);
    assert.ok(doc.paths['/echo']);
    assert.equal((await app.inject('/docs')).statusCode < 400, true);
  });

  it('gives every response a request id, keeping a sane incoming one', async () => {
    const a = await app.inject('/healthz');
    assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const b = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(b.headers['x-request-id'], 'abc-123');
    const c = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\n<script>' } });
    assert.notEqual(c.headers['x-request-id'], 'bad id\n<script>');
  });

  it('answers malformed JSON with 400 ERR_BAD_JSON', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.code, 'ERR_BAD_JSON');
    assert.equal(r.json().error.messageId, 'error.badJson');
  });

  it('answers schema violations with 400 ERR_VALIDATION naming the field', async () => {
    const r = await app.inject({ method: 'POST', url: '/echo', payload: { name: '', age: 'x' } });
    assert.equal(r.statusCode, 400);
    const e = r.json().error;
    assert.equal(e.code, 'ERR_VALIDATION');
    assert.deepEqual(
      e.details.issues.map((i: { path: string }) => i.path),
      ['body.name', 'body.age'],
    );
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', age: 3 } });
    assert.deepEqual(ok.json(), { name: 'a', age: 3 });
  });

  it('answers oversize bodies with 413, unknown media types with 415, unknown routes with 404', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: { name: 'x'.repeat(4000), age: 1 },
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'ERR_PAYLOAD_TOO_LARGE');
    const media = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    assert.equal(media.statusCode, 415);
    assert.equal(media.json().error.code, 'ERR_UNSUPPORTED_MEDIA_TYPE');
    const nf = await app.inject('/no/such/thing');
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.json().error.code, 'ERR_NOT_FOUND');
  });

  it('hides the internals of unexpected errors', async () => {
    const r = await app.inject('/boom');
    assert.equal(r.statusCode, 500);
    assert.equal(r.json().error.code, 'ERR_INTERNAL');
    assert.doesNotMatch(r.body, /secret internals/);
  });

  it('reports not ready while draining', async () => {
    startDraining();
    const r = await app.inject('/readyz');
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().reason, 'draining');
  });
});
