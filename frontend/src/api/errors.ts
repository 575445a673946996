import type { components } from './schema';

/** The server's RFC 9457 problem document, as the OpenAPI schema describes it. */
export type Problem = components['schemas']['Problem'];

/** One field's complaint in a validation problem. */
export type FieldError = components['schemas']['FieldError'];

/** The members RFC 9457 defines; the rest of a problem document are its extensions. */
type StandardMember = 'type' | 'title' | 'status' | 'detail' | 'instance' | 'errors';

/** The extension members the server sends (`allowed_actions`, `expected_form` …), by name. */
export type ProblemExtensionName = Exclude<keyof Problem, StandardMember>;

/**
 * A problem as the SPA holds it: the schema's standard members, with `detail` always present
 * and `errors` always a list (the server leaves them out when empty).
 */
export type ProblemDetails = Pick<Problem, 'type' | 'title' | 'status' | 'instance'> & {
  detail: NonNullable<Problem['detail']> | null;
  errors: FieldError[];
  /** Any other members of the problem document, e.g. `allowed_actions` or `expected_form`. */
  extensions?: Record<string, unknown>;
};

const STANDARD_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'errors',
] satisfies readonly StandardMember[]);

/**
 * Every failed API call becomes one of these, built from the server's RFC 9457
 * problem document when there is one.
 */
export class ApiError extends Error implements ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | null;
  readonly instance?: string | null;
  readonly errors: FieldError[];
  /** Extension members of the problem document (RFC 9457 §3.2), e.g. `allowed_actions`. */
  readonly extensions: Record<string, unknown>;
  /** Seconds from a Retry-After header (throttling), if the server sent one. */
  readonly retryAfter: number | null;

  constructor(problem: ProblemDetails, retryAfter: number | null = null) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors;
    this.extensions = problem.extensions ?? {};
    this.retryAfter = retryAfter;
  }

  /** The message for one form field, if the server rejected it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
  }

  /** A string extension member, e.g. `expected_form`. */
  extensionString(name: ProblemExtensionName): string | undefined {
    const value = this.extensions[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A list-of-strings extension member, e.g. `allowed_actions`. */
  extensionList(name: ProblemExtensionName): string[] | undefined {
    const value = this.extensions[name];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((e) => ({
    field: typeof e.field === 'string' ? e.field : Array.isArray(e.loc) ? e.loc.join('.') : '',
    message: typeof e.message === 'string' ? e.message : typeof e.msg === 'string' ? e.msg : '',
    type: typeof e.type === 'string' ? e.type : '',
  }));
}

function parseRetryAfter(response: Response): number | null {
  const header = response.headers.get('Retry-After');
  if (!header) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds : null;
}

/**
 * Turns a failed response (and the body openapi-fetch already read: parsed JSON,
 * text, or undefined when empty) into an ApiError. Bodies that are not problem
 * documents still yield a usable error with the HTTP status.
 */
export function toApiError(response: Response, body: unknown): ApiError {
  const retryAfter = parseRetryAfter(response);
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
  }
  if (isRecord(parsed)) {
    const title = typeof parsed.title === 'string' ? parsed.title : response.statusText || `HTTP ${response.status}`;
    let detail: string | null = typeof parsed.detail === 'string' ? parsed.detail : null;
    let errors = parseFieldErrors(parsed.errors);
    // FastAPI's default shape, in case a route escapes the problem handler.
    if (Array.isArray(parsed.detail)) errors = parseFieldErrors(parsed.detail);
    if (detail === null && typeof parsed.message === 'string') detail = parsed.message;
    return new ApiError(
      {
        type: typeof parsed.type === 'string' ? parsed.type : 'about:blank',
        title,
        status: typeof parsed.status === 'number' ? parsed.status : response.status,
        detail,
        instance: typeof parsed.instance === 'string' ? parsed.instance : null,
        errors,
        extensions: Object.fromEntries(Object.entries(parsed).filter(([key]) => !STANDARD_MEMBERS.has(key))),
      },
      retryAfter,
    );
  }
  return new ApiError(
    {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: typeof parsed === 'string' && parsed.trim() ? parsed.trim() : null,
      errors: [],
    },
    retryAfter,
  );
}

/** Used when the request never got an answer (offline, server down). */
export function networkError(cause: unknown): ApiError {
  const error = new ApiError({
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    detail: cause instanceof Error ? cause.message : null,
    errors: [],
  });
  return error;
}
