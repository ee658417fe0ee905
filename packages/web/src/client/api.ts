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

/**
 * Whether the server refused a request for the session, not for what it asked: signed out (in
 * another tab, or expired) or signed in again elsewhere (the page's CSRF token is then stale).
 * Nothing the request asked for was done, so it may be sent again once signed in.
 */
export function sessionRefused(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'CSRF');
}

type Listener = () => void;
const lostListeners = new Set<Listener>();
const resumedListeners = new Set<Listener>();
const reviewRefusedListeners = new Set<(review: string) => void>();
const listen = <T>(set: Set<T>, l: T) => {
  set.add(l);
  return () => void set.delete(l);
};
/** Told when a request finds the session gone or changed (the signed-in shell checks which). */
export const onSessionLost = (l: Listener) => listen(lostListeners, l);
/** Told when the person signs in again after their session ended: pages ask again for what they show. */
export const onSessionResumed = (l: Listener) => listen(resumedListeners, l);
export function sessionResumed(): void {
  for (const l of [...resumedListeners]) l();
}
/** Told when a review's request is refused as not found or forbidden (a lead may have removed the member). */
export const onReviewRefused = (l: (review: string) => void) => listen(reviewRefusedListeners, l);

function noticeRefusal(err: ApiError, path: string): void {
  // The sign-in requests answer for themselves (a wrong password is a 401 too).
  if (sessionRefused(err) && !path.startsWith('/auth/')) for (const l of [...lostListeners]) l();
  const review = /^\/reviews\/([^/?]+)(\/[^?]*)?/.exec(path);
  if ((err.status === 403 || err.status === 404) && review && review[2] !== '/access' && !sessionRefused(err))
    for (const l of [...reviewRefusedListeners]) l(decodeURIComponent(review[1]!));
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
        // A write that must outlive the page (a vote as the tab closes) asks for it.
        ...(init.keepalive ? { keepalive: true } : {}),
      });
      return { res, text: res.status === 204 ? '' : await res.text() };
    })(),
  );
  if (res.status === 204) return undefined as T;
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = toApiError(res.status, data, res.statusText);
    noticeRefusal(err, path);
    throw err;
  }
  return data as T;
}

/**
 * POSTs `body` and saves the file the server answers with under the name it gives (a selection
 * too long for a link's address). Refusals throw as `api` throws them.
 */
export async function apiDownload(path: string, body: unknown, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = { accept: '*/*', 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const { res, blob } = await counted(
    (async () => {
      const res = await fetch(`/api${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      return { res, blob: await res.blob() };
    })(),
  );
  if (!res.ok) {
    const text = await blob.text();
    let data: unknown;
    try {
      data = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      data = undefined;
    }
    const err = toApiError(res.status, data, res.statusText);
    noticeRefusal(err, path);
    throw err;
  }
  const named = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = named ? decodeURIComponent(named[1]!) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click is handled; the address is let go after it.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
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
      else {
        const err = toApiError(xhr.status, data, xhr.statusText);
        noticeRefusal(err, path);
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Upload failed'));
    xhr.send(file);
  });
}
