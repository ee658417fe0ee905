/**
 * The closed set of error codes. Each maps to one HTTP status in exactly one place
 * (packages/web/src/http/http-status.ts) and to one CLI exit code.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION'
  | 'PARSE_ERROR'
  | 'UNSUPPORTED_FORMAT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CSRF'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DUPLICATE_IMPORT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** Where in an input file something went wrong. */
export interface InputLocation {
  file?: string;
  line?: number;
  record?: number;
  field?: string;
  row?: number;
  column?: string;
}

export class WinnowError extends Error {
  override readonly name = 'WinnowError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { location?: InputLocation; [key: string]: unknown },
  ) {
    super(message);
  }
}

/** Bad input never succeeds on retry: job runners fail these without retrying. */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof WinnowError &&
    error.code !== 'UNAVAILABLE' &&
    error.code !== 'INTERNAL' &&
    error.code !== 'RATE_LIMITED'
  );
}

export function describeLocation(loc: InputLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.record !== undefined) parts.push(`record ${loc.record}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column) parts.push(`column ${loc.column}`);
  if (loc.field) parts.push(`field ${loc.field}`);
  return parts.join(', ');
}
