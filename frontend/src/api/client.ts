import createClient, { type Middleware } from 'openapi-fetch';
import { currentLanguage } from '@/i18n';
import { ApiError, networkError, toApiError } from './errors';
import type { paths } from './schema';

export const CSRF_COOKIE = 'mems_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/**
 * The session lives in an HttpOnly cookie; unsafe requests must echo the
 * readable CSRF cookie in a header (double-submit), which a cross-site form cannot.
 */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
};

/**
 * The server writes problem titles, details and field messages in the language asked for;
 * every request asks for the UI's current one, so switching the UI switches them too.
 */
export function languageMiddleware(language: () => string = currentLanguage): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('Accept-Language', language());
      return request;
    },
  };
}

export function createApiClient(
  options: {
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
    /** The language to ask the server for; the UI's current one by default. */
    language?: () => string;
  } = {},
) {
  const client = createClient<paths>({
    // Same origin as the page (the API serves the SPA, or Vite proxies /api). Absolute,
    // because fetch outside a browser (tests) cannot resolve a relative URL.
    baseUrl: options.baseUrl ?? (typeof window === 'undefined' ? '' : window.location.origin),
    credentials: 'include',
    // Late-bound so tests can stub globalThis.fetch.
    fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
  });
  client.use(csrfMiddleware, languageMiddleware(options.language));
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's single client. Paths are the OpenAPI paths, e.g. `/api/v1/members`. */
export const api = createApiClient();

interface ClientResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError built
 * from the problem document. Every feature goes through this, so errors have one shape.
 */
export async function unwrap<D>(call: Promise<ClientResult<D>>): Promise<D> {
  let result: ClientResult<D>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw networkError(cause);
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return result.data as D;
}
