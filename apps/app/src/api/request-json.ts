// JSON over fetch with safe retries: enrollment steps are idempotent on the server (a repeated step
// answers the same), so a request that failed on the network, or met 502/503/504, is sent again.
import { ApiError } from './api-error.ts';

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  /** Extra tries after the first (default 3). */
  readonly retries?: number;
  /** Told before each retry, e.g. to show "No connection. Trying again …". */
  readonly onRetry?: (attempt: number) => void;
  readonly signal?: AbortSignal;
  /** Extra request headers (e.g. the enrollment session of journey C). */
  readonly headers?: Readonly<Record<string, string>>;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function errorFrom(status: number, body: unknown): ApiError {
  const e = (body as { error?: Record<string, unknown> } | null)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(
      {
        code: e.code,
        messageId: typeof e.messageId === 'string' ? e.messageId : 'error.unknown',
        status,
        ...(typeof e.requestId === 'string' ? { requestId: e.requestId } : {}),
        ...(e.details && typeof e.details === 'object'
          ? { details: e.details as Record<string, unknown> }
          : {}),
      },
      typeof e.message === 'string' ? e.message : e.code,
    );
  }
  return new ApiError({ code: 'ERR_HTTP', messageId: 'error.unknown', status });
}

export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: {
          accept: 'application/json',
          ...options.headers,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (e) {
      if (options.signal?.aborted) throw e;
      response = undefined;
    }
    if (response) {
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) return body as T;
      const error = errorFrom(response.status, body);
      // A typed answer is final, except "busy"; a bare 502/503/504 comes from a proxy or a restart.
      const transient =
        RETRYABLE_STATUS.has(response.status) &&
        (error.code === 'ERR_HTTP' || error.code === 'ERR_UNAVAILABLE');
      if (!transient || attempt >= retries) throw error;
    } else if (attempt >= retries) {
      throw new ApiError({ code: 'ERR_NETWORK', messageId: 'error.network', status: 0 });
    }
    options.onRetry?.(attempt + 1);
    // Backoff 0.5 s, 1 s, 2 s …; a server-given retryAfterSeconds is not needed at these sizes.
    await wait(500 * 2 ** attempt, options.signal);
  }
}
