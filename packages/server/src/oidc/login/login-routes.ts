// The login interaction under /login/<uid>: user-ID → method → steps → back to the provider with a code.
// The page view needs oidc-provider's signed interaction cookie and sets this login's binding cookie; every
// later step needs the binding cookie, and the finishing one the interaction cookie again, so only the
// browser that started the login can advance or finish it (DESIGN §3.1). Answers JSON to JSON requests
// and redirects HTML form posts back to the page.
import type { AuthFactor } from '@tillid/core';
import { type AssuranceLevel, acrFor, levelFromAcr, meetsLevel } from '@tillid/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, InteractionResults } from 'oidc-provider';
import { z } from 'zod';
import { isServerError, ServerError } from '../../errors.ts';
import { together } from '../../together.ts';
import { amrFor, loginLevel } from '../claims.ts';
import type { IdentityDirectory } from '../identity-directory.ts';
import { LOGIN_PATH, type OidcProviderHost } from '../provider.ts';
import type { AuditSink } from './audit-batcher.ts';
import {
  type InteractionStore,
  type LoginPatch,
  type LoginRecord,
  type LoginRequest,
  UNKNOWN_REQUEST,
} from './interaction-store.ts';
import type { LoginContext, LoginMethod, MethodOutcome } from './login-method.ts';
import { type LoginView, renderLoginErrorPage, renderLoginPage } from './login-page.ts';
import { submitUserId, throttleSource, type UserIdStepDeps } from './user-id-step.ts';

const BINDING_COOKIE = 'tillid_login';
const LAST_METHOD_COOKIE = 'tillid_last_method';

export interface LoginRoutesDeps {
  readonly host: OidcProviderHost;
  readonly interactions: InteractionStore;
  readonly methods: readonly LoginMethod[];
  readonly userIdStep: UserIdStepDeps;
  readonly directory: IdentityDirectory;
  /** The audit log, or an `AuditBatcher` over it. */
  readonly audit: AuditSink;
  readonly now: () => number;
  readonly secureCookies: boolean;
  readonly trustProxy: boolean;
  /** The app's login page (apps/app login.html) when built; browsers get the fallback page otherwise. */
  readonly loginPage?: LoginPageProvider | undefined;
}

/** The built login page and the Content-Security-Policy it is served with (the app's). */
export type LoginPageProvider = () => Promise<
  { readonly html: string; readonly contentSecurityPolicy: string } | undefined
>;

const uidParams = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) });
const userIdBody = z.object({ userId: z.string().max(400) });
const methodBody = z.object({ method: z.string().max(64) });
const stepBody = z.record(z.string(), z.unknown());

function cookies(request: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
      } catch {
        // A malformed cookie is simply absent.
      }
    }
  }
  return out;
}

function clientIp(request: FastifyRequest, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    // The address our own proxy saw is the last one it appended; earlier ones are the client's to forge.
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.ip;
}

function wantsHtml(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  if (request.method === 'POST') return type.startsWith('application/x-www-form-urlencoded');
  return !(request.headers.accept ?? '').includes('application/json');
}

function requiredLevel(acrValues: unknown): AssuranceLevel | undefined {
  if (typeof acrValues !== 'string') return undefined;
  const levels = acrValues
    .split(' ')
    .map(levelFromAcr)
    .filter((l): l is AssuranceLevel => l !== undefined);
  // acr_values lists acceptable levels; the weakest one listed is the minimum the service accepts.
  return levels.reduce<AssuranceLevel | undefined>(
    (min, l) => (min === undefined || meetsLevel(min, l) ? l : min),
    undefined,
  );
}

export function registerLoginRoutes(app: FastifyInstance, deps: LoginRoutesDeps): void {
  const methods = new Map(deps.methods.map((m) => [m.id, m]));
  const cookieFlags = `HttpOnly; SameSite=Lax${deps.secureCookies ? '; Secure' : ''}`;

  async function details(request: FastifyRequest, reply: FastifyReply, uid: string) {
    let interaction: Awaited<ReturnType<typeof deps.host.provider.interactionDetails>>;
    try {
      interaction = await deps.host.provider.interactionDetails(request.raw, reply.raw);
    } catch (cause) {
      throw new ServerError(
        'ERR_LOGIN_BINDING',
        'no login of this browser here; start again from the service',
        {
          status: 403,
          messageId: 'login.otherBrowser',
          cause,
        },
      );
    }
    if (interaction.uid !== uid)
      throw new ServerError('ERR_LOGIN_BINDING', 'this login belongs to another browser tab', {
        status: 403,
        messageId: 'login.otherBrowser',
      });
    return interaction;
  }

  async function serviceName(clientId: string): Promise<string> {
    const client = await deps.host.provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  }

  async function view(request: FastifyRequest, record: LoginRecord, scope: string): Promise<LoginView> {
    return {
      loginId: record.loginId,
      step: record.step,
      service: { clientId: record.clientId, name: await serviceName(record.clientId) },
      scopes: scope.split(' ').filter((s) => s.length > 0),
      methods: [...methods.values()].map((m) => ({ id: m.id, messageId: m.messageId })),
      lastMethod: cookies(request).get(LAST_METHOD_COOKIE),
      method: record.method ? { id: record.method.id, view: record.method.view } : null,
    };
  }

  /**
   * Loads the bound login; anything the browser cannot prove is its own is refused. The binding cookie is this
   * browser's proof (set on the page view that oidc-provider's interaction cookie admitted); the interaction
   * itself is read only when a step needs it: to finish the login, or for a record that does not keep the
   * request (an earlier version's).
   */
  async function bound(request: FastifyRequest, reply: FastifyReply, uid: string) {
    const record = await deps.interactions.loadBound(uid, cookies(request).get(BINDING_COOKIE), deps.now());
    if (!record)
      throw new ServerError('ERR_FLOW_NOT_FOUND', 'this login has expired; start again from the service', {
        status: 404,
        messageId: 'error.flow.notFound',
      });
    let loaded: Promise<Interaction> | undefined;
    const interaction = () => {
      loaded ??= details(request, reply, uid);
      return loaded;
    };
    if (record.request !== UNKNOWN_REQUEST) return { record, interaction, loginRequest: record.request };
    const params = (await interaction()).params;
    const loginRequest: LoginRequest = {
      scope: String(params['scope'] ?? ''),
      ...(typeof params['acr_values'] === 'string' ? { acrValues: params['acr_values'] } : {}),
    };
    return { record, interaction, loginRequest };
  }

  async function methodContext(
    request: FastifyRequest,
    record: LoginRecord,
    scope: string,
  ): Promise<LoginContext> {
    return {
      loginId: record.loginId,
      clientId: record.clientId,
      clientName: await serviceName(record.clientId),
      scopes: scope.split(' ').filter((s) => s.length > 0),
      identityId: record.identityId ?? undefined,
      now: deps.now(),
      source: throttleSource(clientIp(request, deps.trustProxy)),
    };
  }

  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    uid: string,
    record: LoginRecord,
    scope: string,
  ) {
    if (wantsHtml(request)) return reply.code(303).header('location', `${LOGIN_PATH}/${uid}`).send();
    return view(request, record, scope);
  }

  /** Applies a method's outcome; only this path (a bound browser request) can finish a login. */
  async function settle(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      uid: string;
      record: LoginRecord;
      method: LoginMethod;
      outcome: MethodOutcome;
      /** The interaction, read when the login finishes (oidc-provider's cookie checked then too). */
      interaction: () => Promise<Interaction>;
      loginRequest: LoginRequest;
      /** The request's own change to the record (the user-ID step's), written with the outcome in one go. */
      alsoSet?: LoginPatch;
    },
  ) {
    const { record, method, outcome } = input;
    const also = input.alsoSet ?? {};
    const identityId = also.identityId === undefined ? record.identityId : also.identityId;
    const { scope, acrValues } = input.loginRequest;
    if (outcome.kind === 'pending') {
      const next = await deps.interactions.update(
        record,
        { ...also, method: { id: method.id, state: outcome.state, view: outcome.view } },
        deps.now(),
      );
      return answer(request, reply, input.uid, next, scope);
    }
    const authenticated = outcome.kind === 'authenticated' && outcome.identityId === identityId;
    // The interaction is read with the claims, before the record is marked finished: a login this browser
    // cannot resume must not end half-way. Its refusal counts only once the claims are there, as if it had
    // been read after them: a login whose identity has none fails (and its method is reset) either way.
    const [claims, read] = await together(
      authenticated ? deps.directory.claims(outcome.identityId) : undefined,
      authenticated
        ? input.interaction().then(
            (interaction) => ({ interaction }),
            (refusal: unknown) => ({ refusal }),
          )
        : undefined,
    );
    if (outcome.kind === 'failed' || !claims || !read || identityId === null) {
      await deps.interactions.update(record, { ...also, method: null }, deps.now());
      throw new ServerError('ERR_LOGIN_FAILED', 'the login failed', {
        status: 401,
        messageId: 'login.failed',
      });
    }
    if ('refusal' in read) throw read.refusal;
    const { interaction } = read;
    const factors: readonly AuthFactor[] = outcome.kind === 'authenticated' ? outcome.factors : [];
    const level = loginLevel(factors, claims.proofing);
    const acr = acrFor(level);
    // Compare-and-set: of two racing finishes, exactly one wins; the other gets ERR_FLOW_VERSION.
    await deps.interactions.update(record, { ...also, step: 'finished' }, deps.now());
    const required = requiredLevel(acrValues);
    const result =
      required !== undefined && !meetsLevel(level, required)
        ? {
            error: 'unmet_authentication_requirements',
            error_description: 'the login did not reach the assurance level the service requires',
          }
        : { login: { accountId: identityId, acr, amr: amrFor(factors), remember: false } };
    const redirectTo = await finishInteraction(interaction, result);
    await deps.audit.append(
      {
        type: 'error' in result ? 'oidc.login.refused' : 'oidc.login.succeeded',
        subject: identityId,
        data: { clientId: record.clientId, method: method.id, acr, loginId: record.loginId },
      },
      deps.now(),
    );
    reply.header(
      'set-cookie',
      `${LAST_METHOD_COOKIE}=${encodeURIComponent(method.id)}; Path=${LOGIN_PATH}; Max-Age=31536000; ${cookieFlags}`,
    );
    if (wantsHtml(request)) return reply.code(303).header('location', redirectTo).send();
    return { step: 'finished', redirectTo };
  }

  /** HTML form posts get their error back on the page; JSON callers get the typed error. */
  function guard<T>(handler: (request: FastifyRequest, reply: FastifyReply, uid: string) => Promise<T>) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const { uid } = request.params as { uid: string };
      reply.header('cache-control', 'no-store');
      try {
        return await handler(request, reply, uid);
      } catch (e) {
        if (wantsHtml(request) && request.method === 'POST' && isServerError(e) && e.status < 500) {
          return reply
            .code(303)
            .header('location', `${LOGIN_PATH}/${uid}?error=${encodeURIComponent(e.messageId)}`)
            .send();
        }
        throw e;
      }
    };
  }

  app.get(
    `${LOGIN_PATH}/:uid`,
    { schema: { hide: true, params: uidParams } },
    guard(async (request, reply, uid) => {
      let interaction: Awaited<ReturnType<typeof details>>;
      try {
        interaction = await details(request, reply, uid);
      } catch (e) {
        // A person revisiting a finished login (or another browser's) gets a page that says so, not JSON.
        if (!wantsHtml(request) || !isServerError(e) || e.status >= 500) throw e;
        reply.code(e.status).type('text/html; charset=utf-8');
        const built = await deps.loginPage?.();
        if (built)
          return reply.header('content-security-policy', built.contentSecurityPolicy).send(built.html);
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
        return renderLoginErrorPage(e.messageId);
      }
      const scope = String(interaction.params['scope'] ?? '');
      // Without a binding cookie there is nothing of this browser's to load (one query less per login);
      // `begin` refuses when another browser started this login, as `loadBound` would.
      const binding = cookies(request).get(BINDING_COOKIE);
      let record =
        binding === undefined ? undefined : await deps.interactions.loadBound(uid, binding, deps.now());
      if (!record) {
        const begun = await deps.interactions.begin(
          {
            uid,
            clientId: String(interaction.params['client_id']),
            request: {
              scope,
              ...(typeof interaction.params['acr_values'] === 'string'
                ? { acrValues: interaction.params['acr_values'] }
                : {}),
            },
            expiresAt: interaction.exp * 1000,
          },
          deps.now(),
        );
        record = begun.record;
        reply.header(
          'set-cookie',
          `${BINDING_COOKIE}=${begun.bindingSecret}; Path=${LOGIN_PATH}/${uid}; ${cookieFlags}`,
        );
      }
      const v = await view(request, record, scope);
      if (!wantsHtml(request)) return v;
      reply.type('text/html; charset=utf-8');
      // The app's page reads the same login as JSON (it runs in this browser, so the cookies bind it).
      const built = await deps.loginPage?.();
      if (built) return reply.header('content-security-policy', built.contentSecurityPolicy).send(built.html);
      const error = (request.query as Record<string, unknown>)['error'];
      // Browsers apply form-action to the redirects after a post too, so the service's callback is allowed.
      reply.header(
        'content-security-policy',
        `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' ${redirectOrigin(interaction.params['redirect_uri'])}`.trimEnd(),
      );
      return renderLoginPage(v, {
        action: `${LOGIN_PATH}/${uid}`,
        error: typeof error === 'string' ? error : undefined,
      });
    }),
  );

  app.post(
    `${LOGIN_PATH}/:uid/user-id`,
    { schema: { hide: true, params: uidParams, body: userIdBody } },
    guard(async (request, reply, uid) => {
      // The attempt counts (and the user-ID is looked up) while the binding is read; a refused binding wins.
      const [{ interaction, record, loginRequest }, { identityId }] = await together(
        bound(request, reply, uid),
        submitUserId(deps.userIdStep, {
          source: throttleSource(clientIp(request, deps.trustProxy)),
          userId: (request.body as z.infer<typeof userIdBody>).userId,
          now: deps.now(),
        }),
      );
      if (record.step === 'finished') throw stepError();
      const { scope } = loginRequest;
      const named: LoginPatch = { step: 'method', identityId, method: null };
      // The method this browser used last starts at once (as MitID goes straight to the app); the page still
      // offers the others. One request less per login, and the same for a user-ID that does not exist.
      const remembered = methods.get(cookies(request).get(LAST_METHOD_COOKIE) ?? '');
      if (!remembered) {
        const next = await deps.interactions.update(record, named, deps.now());
        return answer(request, reply, uid, next, scope);
      }
      const outcome = await remembered.start(
        await methodContext(request, { ...record, step: 'method', identityId }, scope),
      );
      return settle(request, reply, {
        uid,
        record,
        method: remembered,
        outcome,
        interaction,
        loginRequest,
        alsoSet: named,
      });
    }),
  );

  app.post(
    `${LOGIN_PATH}/:uid/method`,
    { schema: { hide: true, params: uidParams, body: methodBody } },
    guard(async (request, reply, uid) => {
      const { interaction, record, loginRequest } = await bound(request, reply, uid);
      if (record.step !== 'method') throw stepError();
      const method = methods.get((request.body as z.infer<typeof methodBody>).method);
      if (!method)
        throw new ServerError('ERR_LOGIN_METHOD_UNKNOWN', 'no such login method', {
          status: 400,
          messageId: 'login.method.unknown',
        });
      const outcome = await method.start(await methodContext(request, record, loginRequest.scope));
      return settle(request, reply, { uid, record, method, outcome, interaction, loginRequest });
    }),
  );

  app.post(
    `${LOGIN_PATH}/:uid/step`,
    { schema: { hide: true, params: uidParams, body: stepBody } },
    guard(async (request, reply, uid) => {
      const { interaction, record, loginRequest } = await bound(request, reply, uid);
      const method = record.method ? methods.get(record.method.id) : undefined;
      if (record.step !== 'method' || !record.method || !method) throw stepError();
      const body = request.body as Record<string, unknown>;
      const outcome = await method.step(
        await methodContext(request, record, loginRequest.scope),
        record.method.state,
        body['input'] ?? body,
      );
      return settle(request, reply, { uid, record, method, outcome, interaction, loginRequest });
    }),
  );

  app.post(
    `${LOGIN_PATH}/:uid/abort`,
    { schema: { hide: true, params: uidParams } },
    guard(async (request, reply, uid) => {
      const { interaction, record } = await bound(request, reply, uid);
      const loaded = await interaction();
      await deps.interactions.update(record, { step: 'finished' }, deps.now());
      const redirectTo = await finishInteraction(loaded, {
        error: 'access_denied',
        error_description: 'the person cancelled the login',
      });
      if (wantsHtml(request)) return reply.code(303).header('location', redirectTo).send();
      return { step: 'finished', redirectTo };
    }),
  );
}

/** The origin of the service's (already validated) redirect_uri, for the page's CSP. */
function redirectOrigin(redirectUri: unknown): string {
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) return '';
  const url = new URL(redirectUri);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : '';
}

/**
 * What `provider.interactionResult(…, { mergeWithLastSubmission: false })` does, on the interaction this
 * request already loaded (and checked against the browser's cookie): saves the result, returns where the
 * browser resumes. Saves a read of the interaction per finished login. The lifetime is counted on the
 * provider's own clock (the wall clock), as oidc-provider counts it.
 */
async function finishInteraction(interaction: Interaction, result: InteractionResults): Promise<string> {
  interaction.result = result;
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  return interaction.returnTo;
}

function stepError(): ServerError {
  return new ServerError('ERR_FLOW_STATE', 'this step is not possible now', {
    status: 409,
    messageId: 'error.flow.stepOutOfOrder',
  });
}
