import type { ErrorRequestHandler, RequestHandler } from 'express';
import { WinnowError, type Logger } from '@winnow/core';
import { httpStatusOf } from './http-status.ts';

/** Turns anything thrown into `{error: {code, message, location?, problems?}}` with the status of its code. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const error = toWinnowError(err);
    if (error.code === 'INTERNAL')
      log.error('unhandled error', { error: (err as Error)?.stack ?? String(err) });
    // Answered as bad input, but logged: it means a route lets through a value it should refuse.
    else if (isDataException(err))
      log.error('input refused by the database, not by validation', {
        error: (err as Error)?.stack ?? String(err),
      });
    res.status(httpStatusOf(error.code)).json({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details?.location ? { location: error.details.location } : {}),
        ...fieldProblems(error.details?.problems),
      },
    });
  };
}

/** `problems: [{field, message}]` when the error lists every field at fault (forms mark each one). */
function fieldProblems(problems: unknown): { problems?: { field: string; message: string }[] } {
  if (!Array.isArray(problems)) return {};
  const list = problems.flatMap((p: unknown) => {
    const { field, message } = (p ?? {}) as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
  return list.length > 0 ? { problems: list } : {};
}

function toWinnowError(err: unknown): WinnowError {
  if (err instanceof WinnowError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser errors carry a type and a status.
  if (e?.type === 'entity.too.large')
    return new WinnowError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (e?.type === 'entity.parse.failed')
    return new WinnowError('BAD_REQUEST', 'The request body is not valid JSON');
  if (e?.status === 400) return new WinnowError('BAD_REQUEST', e.message ?? 'Bad request');
  if (isDataException(err))
    return new WinnowError(
      'BAD_REQUEST',
      'The request holds a value that cannot be stored or compared (a malformed id, a number out of range or a NUL character)',
    );
  return new WinnowError('INTERNAL', 'Internal error');
}

/**
 * PostgreSQL (and PGlite) data exceptions, SQLSTATE class 22: 22P02 invalid text representation
 * (a malformed uuid or integer), 22003 numeric value out of range, 22021 and 22P05 (NUL and bad
 * Unicode escapes). On the request path they come from a value the caller sent that a route let
 * through: answered as the caller's error, the last line of defence behind route validation.
 */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new WinnowError('NOT_FOUND', `No route ${req.method} ${req.path}`));
};
