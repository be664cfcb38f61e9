// One client for every API the console calls: the same OCS, OCI and console routes any other
// client uses. The browser sends the session cookie; unsafe methods add the session's CSRF token.

let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** An API error in words: the server's own message, and what it was about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

let onUnauthenticated: () => void = () => {};
export function whenSignedOut(callback: () => void): void {
  onUnauthenticated = callback;
}

function messageOf(status: number, body: unknown, text: string): { message: string; code?: string } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    // OCS ErrorResponse {OperationId, Error, Reason, Resolution}
    if (typeof b.Error === 'string') return { message: [b.Error, b.Resolution].filter(Boolean).map((m) => String(m).replace(/([^.!?])$/, '$1.')).join(' '), code: String(b.Reason ?? '') };
    // OCI {code, message} and the operator/console {code, message}
    if (typeof b.message === 'string') return { message: b.message, code: String(b.code ?? '') };
  }
  return { message: text || `The server answered ${status}.` };
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const unsafe = !['GET', 'HEAD'].includes(method);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(unsafe && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The service cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const { message, code } = messageOf(res.status, parsed, text);
    if (res.status === 401 && !path.startsWith('/console/api/sign-in')) onUnauthenticated();
    throw new ApiError(res.status, message, code);
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export const get = <T,>(path: string) => api<T>('GET', path).then((r) => r.body);

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
