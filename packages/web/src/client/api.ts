/** Thin fetch wrapper: JSON in and out, CSRF header on writes, errors as ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the server named as the problem (forms highlight it). */
    readonly field?: string,
    /** Every field with a problem, when the server lists them (forms highlight each). */
    readonly problems: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

type ErrorBody =
  | {
      error?: {
        code?: string;
        message?: string;
        location?: { field?: string };
        problems?: { field: string; message: string }[];
      };
    }
  | undefined;

function toApiError(status: number, data: unknown, fallback: string): ApiError {
  const err = (data as ErrorBody)?.error;
  return new ApiError(
    status,
    err?.code ?? 'HTTP',
    err?.message ?? fallback,
    err?.location?.field,
    err?.problems,
  );
}

/**
 * The page's API requests in flight, kept on the root element as `data-requests` from the first
 * one on: "0" says the page has asked for what it shows and has every answer. Browser tests wait
 * for it (and for the answers to be drawn) before judging a page; nothing else reads it.
 */
let inFlight = 0;
export async function counted<T>(request: Promise<T>): Promise<T> {
  inFlight += 1;
  document.documentElement.dataset.requests = String(inFlight);
  try {
    return await request;
  } finally {
    inFlight -= 1;
    document.documentElement.dataset.requests = String(inFlight);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const isRaw = body instanceof Blob || body instanceof ArrayBuffer;
  if (body !== undefined && !isRaw) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // Counted until the body has arrived: the request is over for the page only then.
  const { res, text } = await counted(
    (async () => {
      const res = await fetch(`/api${path}`, {
        method,
        headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
        body: body === undefined ? undefined : isRaw ? (body as BodyInit) : JSON.stringify(body),
        credentials: 'same-origin',
        signal: init.signal,
      });
      return { res, text: res.status === 204 ? '' : await res.text() };
    })(),
  );
  if (res.status === 204) return undefined as T;
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw toApiError(res.status, data, res.statusText);
  return data as T;
}

/** Sends a file as the raw request body (streamed to disk by the server). */
export function upload<T>(path: string, file: File, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onload = () => {
      const data = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(toApiError(xhr.status, data, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Upload failed'));
    xhr.send(file);
  });
}
