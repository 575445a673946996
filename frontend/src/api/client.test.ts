import { setLanguage } from '@/i18n';
import { CSRF_HEADER, createApiClient, readCookie, unwrap } from './client';
import { ApiError, toApiError } from './errors';

function problem(status: number, body: object, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

function clearCookies() {
  for (const part of document.cookie.split(';')) {
    const name = part.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

describe('api client', () => {
  let requests: Request[];
  let reply: () => Response;

  beforeEach(() => {
    requests = [];
    reply = () =>
      new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    clearCookies();
  });

  const client = () =>
    createApiClient({
      baseUrl: 'http://mems.test',
      fetch: (input: Request) => {
        requests.push(input);
        return Promise.resolve(reply());
      },
    });

  it('sends the CSRF cookie value as a header on unsafe methods', async () => {
    document.cookie = 'mems_csrf=tok%2Fen-123; path=/';
    reply = () => new Response(null, { status: 204 });
    await unwrap(client().POST('/api/v1/auth/logout'));
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers.get(CSRF_HEADER)).toBe('tok/en-123');
  });

  it('adds the header to PATCH and DELETE too', async () => {
    document.cookie = 'mems_csrf=abc; path=/';
    reply = () => new Response(null, { status: 204 });
    await unwrap(client().DELETE('/api/v1/members/{member_id}', { params: { path: { member_id: 'm1' } } }));
    expect(requests[0]?.headers.get(CSRF_HEADER)).toBe('abc');
  });

  it('asks the server for the UI language on every request, and follows a switch', async () => {
    await setLanguage('zh-CN');
    await unwrap(client().GET('/api/v1/me'));
    expect(requests[0]?.headers.get('Accept-Language')).toBe('zh-CN');
    await setLanguage('en');
    reply = () => new Response(null, { status: 204 });
    await unwrap(client().POST('/api/v1/auth/logout'));
    expect(requests[1]?.headers.get('Accept-Language')).toBe('en');
    await setLanguage('zh-CN');
  });

  it('does not send the header on safe methods', async () => {
    document.cookie = 'mems_csrf=abc; path=/';
    await unwrap(client().GET('/api/v1/me'));
    expect(requests[0]?.headers.get(CSRF_HEADER)).toBeNull();
  });

  it('sends no header when there is no CSRF cookie', async () => {
    reply = () => new Response(null, { status: 204 });
    await unwrap(client().POST('/api/v1/auth/logout'));
    expect(requests[0]?.headers.get(CSRF_HEADER)).toBeNull();
  });

  it('includes credentials so the session cookie is sent', async () => {
    await unwrap(client().GET('/api/v1/me'));
    expect(requests[0]?.credentials).toBe('include');
  });

  it('turns problem+json into a typed ApiError', async () => {
    reply = () =>
      problem(401, {
        type: 'https://mems.dev/problems/invalid-credentials',
        title: 'Unauthorized',
        status: 401,
        detail: '密码错误',
      });
    const error = await unwrap(client().POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.title).toBe('Unauthorized');
    expect(apiError.detail).toBe('密码错误');
    expect(apiError.message).toBe('密码错误');
    expect(apiError.errors).toEqual([]);
  });

  it('keeps the field errors of a validation problem', async () => {
    reply = () =>
      problem(422, {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        detail: '请求参数无效',
        errors: [{ field: 'body.email', message: '邮箱格式不正确', type: 'value_error' }],
      });
    const error = (await unwrap(client().POST('/api/v1/auth/login', { body: { email: 'bad', password: 'x' } })).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(422);
    expect(error.errors).toEqual([{ field: 'body.email', message: '邮箱格式不正确', type: 'value_error' }]);
    expect(error.fieldMessage('email')).toBe('邮箱格式不正确');
  });

  it('reads Retry-After on throttling', async () => {
    reply = () =>
      problem(
        429,
        { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: '请求过于频繁' },
        { 'Retry-After': '60' },
      );
    const error = (await unwrap(client().POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } })).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(60);
  });

  it('still produces an ApiError for an empty or non-JSON error body', async () => {
    reply = () => new Response('', { status: 502, statusText: 'Bad Gateway' });
    const error = (await unwrap(client().GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.detail).toBeNull();

    reply = () => new Response('upstream exploded', { status: 500, statusText: 'Internal Server Error' });
    const second = (await unwrap(client().GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(second.status).toBe(500);
    expect(second.detail).toBe('upstream exploded');
  });

  it('reports a network failure as status 0', async () => {
    const failing = createApiClient({
      baseUrl: 'http://mems.test',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const error = (await unwrap(failing.GET('/api/v1/me')).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
  });

  it('returns the data of a successful call', async () => {
    reply = () =>
      new Response(JSON.stringify({ status: 'ok', database: 'ok', redis: 'disabled' }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    const data = await unwrap(client().GET('/api/v1/health'));
    expect(data).toEqual({ status: 'ok', database: 'ok', redis: 'disabled' });
  });
});

describe('toApiError', () => {
  it('understands FastAPI default validation bodies', () => {
    const error = toApiError(new Response(null, { status: 422 }), {
      detail: [{ loc: ['body', 'name'], msg: 'Field required', type: 'missing' }],
    });
    expect(error.errors).toEqual([{ field: 'body.name', message: 'Field required', type: 'missing' }]);
    expect(error.fieldMessage('name')).toBe('Field required');
  });

  it('keeps extension members such as allowed_actions and expected_form', () => {
    const error = toApiError(new Response(null, { status: 409 }), {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Cannot start this project.',
      current_status: 'draft',
      allowed_actions: ['submit', 'cancel'],
    });
    expect(error.extensionString('current_status')).toBe('draft');
    expect(error.extensionList('allowed_actions')).toEqual(['submit', 'cancel']);
    expect(error.extensions).not.toHaveProperty('title');
    expect(error.extensionString('expected_form')).toBeUndefined();
  });
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('mems_csrf', 'a=1; mems_csrf=x%20y; b=2')).toBe('x y');
    expect(readCookie('missing', 'a=1')).toBeNull();
  });
});
