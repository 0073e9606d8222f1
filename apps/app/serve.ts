// Serves the built phone app (apps/app/dist) under /app/ on the Tillid server, and in development the
// virtual passports the app reads in place of an NFC chip (/dev/passports). Nothing is built here: a
// missing build answers a page saying how to make it.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestDocument,
  decodeDg1,
  loadOrCreateTestCsca,
  type MrzSex,
  saveTestDocument,
} from '@tillid/mrtd/node';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';

export interface AppRoutesOptions {
  /** The Vite build (default: dist/ beside this file). */
  readonly distDir?: string;
  /** Development mode only: where virtual passports live, and the test CSCA that signs new ones. */
  readonly development?: { readonly passportsDir: string; readonly testCscaPath: string } | undefined;
}

/** Kept out of the OpenAPI document (@fastify/swagger reads `hide`). */
const HIDDEN = { schema: { hide: true } as FastifySchema };

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The app's pages may use the camera and talk only to this server. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws://127.0.0.1:8765",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The built login page (login.html, journey D) for the server's GET /login/<uid>, with the app's CSP; undefined
 * when the app is not built, so the server shows its own fallback page.
 */
export function builtLoginPage(
  distDir: string = DEFAULT_DIST_DIR,
): () => Promise<{ html: string; contentSecurityPolicy: string } | undefined> {
  const file = join(resolve(distDir), 'login.html');
  return async () => {
    const html = await readFile(file, 'utf8').catch(() => undefined);
    return html === undefined ? undefined : { html, contentSecurityPolicy: CSP };
  };
}

function errorBody(request: FastifyRequest, code: string, messageId: string, message: string) {
  return { error: { code, messageId, message, requestId: request.id } };
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tillid app not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main><h1>The app is not built</h1>
<p>Run <code>npm run build -w @tillid/app</code> and reload.</p></main></body></html>`;

async function sendFile(reply: FastifyReply, file: string): Promise<FastifyReply> {
  const body = await readFile(file);
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  // Hashed asset names never change content; everything else is checked on every load.
  const immutable = file.includes(`${sep}assets${sep}`);
  return reply
    .header('content-type', type)
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('content-security-policy', CSP)
    .header('permissions-policy', 'camera=(self), microphone=(), geolocation=()')
    .send(body);
}

export function registerAppRoutes(app: FastifyInstance, options: AppRoutesOptions = {}): void {
  const root = resolve(options.distDir ?? DEFAULT_DIST_DIR);
  const development = options.development;

  app.get('/app', HIDDEN, async (_request, reply) => reply.redirect('/app/'));

  app.get('/app/config.json', HIDDEN, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ development: development !== undefined }),
  );

  app.get('/app/*', HIDDEN, async (request, reply) => {
    const index = join(root, 'index.html');
    if (!existsSync(index)) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    let path: string;
    try {
      path = decodeURIComponent((request.params as { '*': string })['*'] ?? '');
    } catch {
      return reply.code(400).send(errorBody(request, 'ERR_VALIDATION', 'error.validation', 'bad path'));
    }
    const file = resolve(root, path);
    // Only files inside the build; "/app/anything-else" is the app itself (client-side screens).
    if (file.startsWith(`${root}${sep}`) && extname(file) !== '') {
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile()) return sendFile(reply, file);
      return reply.code(404).send(errorBody(request, 'ERR_NOT_FOUND', 'error.notFound', 'no such file'));
    }
    return sendFile(reply, index);
  });

  if (development) registerDevPassportRoutes(app, development);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const YYMMDD = /^\d{6}$/;
const MRZ_NAME = /^[A-Za-z][A-Za-z '-]{0,38}$/;

/** GET /dev/passports, GET /dev/passports/:name, POST /dev/passports (development only). */
function registerDevPassportRoutes(
  app: FastifyInstance,
  dev: { readonly passportsDir: string; readonly testCscaPath: string },
): void {
  const dirOf = (name: string) => join(dev.passportsDir, name);

  app.get('/dev/passports', HIDDEN, async () => {
    const names = existsSync(dev.passportsDir) ? await readdir(dev.passportsDir) : [];
    const passports = [];
    for (const name of names.sort()) {
      if (!NAME.test(name) || !existsSync(join(dirOf(name), 'chip.json'))) continue;
      try {
        const dg1 = decodeDg1(new Uint8Array(await readFile(join(dirOf(name), 'DG1.bin')))).mrz;
        passports.push({
          name,
          holder: `${dg1.givenNames} ${dg1.surname}`.trim(),
          documentNumber: dg1.documentNumber,
        });
      } catch {
        // Not a readable test passport: left out of the list.
      }
    }
    return { passports };
  });

  app.get('/dev/passports/:name', HIDDEN, async (request, reply) => {
    const name = (request.params as { name: string }).name;
    if (!NAME.test(name) || !existsSync(join(dirOf(name), 'chip.json'))) {
      return reply.code(404).send(errorBody(request, 'ERR_NOT_FOUND', 'error.notFound', 'no such passport'));
    }
    const files: Record<string, string> = {};
    for (const f of await readdir(dirOf(name))) {
      if (/^(EF_[A-Za-z]+|DG\d{1,2})\.bin$/.test(f)) {
        files[f] = (await readFile(join(dirOf(name), f))).toString('base64');
      }
    }
    return { chipJson: await readFile(join(dirOf(name), 'chip.json'), 'utf8'), files };
  });

  app.post('/dev/passports', HIDDEN, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { surname, givenNames, dateOfBirth, face } = body;
    if (
      typeof surname !== 'string' ||
      !MRZ_NAME.test(surname) ||
      typeof givenNames !== 'string' ||
      !MRZ_NAME.test(givenNames) ||
      typeof dateOfBirth !== 'string' ||
      !YYMMDD.test(dateOfBirth) ||
      typeof face !== 'string' ||
      face.length > 3_000_000
    ) {
      return reply
        .code(422)
        .send(
          errorBody(request, 'ERR_VALIDATION', 'error.validation', 'surname, givenNames, dateOfBirth, face'),
        );
    }
    const document = await createTestDocument({
      csca: loadOrCreateTestCsca(dev.testCscaPath),
      surname: surname.toUpperCase(),
      givenNames: givenNames.toUpperCase(),
      dateOfBirth,
      sex: (['M', 'F', 'X'].includes(String(body.sex)) ? body.sex : 'F') as MrzSex,
      face: new Uint8Array(Buffer.from(face, 'base64')),
      pace: true,
      aa: 'ec',
    });
    const name = `selfie-${Date.now().toString(36)}`;
    await mkdir(dev.passportsDir, { recursive: true });
    saveTestDocument(dirOf(name), document);
    const dg1 = decodeDg1(document.files.get('DG1') ?? new Uint8Array(0)).mrz;
    return reply.code(201).send({
      name,
      documentNumber: dg1.documentNumber,
      dateOfBirth: dg1.dateOfBirth,
      dateOfExpiry: dg1.dateOfExpiry,
    });
  });
}
