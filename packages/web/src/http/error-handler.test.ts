import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@winnow/core';
import { errorHandler } from './error-handler.ts';

/** Runs the handler on one thrown value; returns the status, the JSON body and what was logged. */
function answer(err: unknown) {
  const logged: string[] = [];
  const log = { error: (msg: string) => logged.push(msg), info: () => {}, debug: () => {} } as Logger;
  const out: { status?: number; body?: { error: { code: string; message: string } } } = {};
  const res = {
    headersSent: false,
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: never) {
      out.body = body;
      return this;
    },
  } as unknown as Response;
  errorHandler(log)(err, {} as Request, res, () => {});
  return { ...out, logged };
}

/** The shape of pg's DatabaseError (PGlite's errors carry the same SQLSTATE `code`). */
const pgError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('errorHandler', () => {
  it('answers PostgreSQL data exceptions (SQLSTATE class 22) as bad input, and logs them', () => {
    for (const [code, message] of [
      ['22P02', 'invalid input syntax for type uuid: "-1"'],
      ['22003', 'value "2147483648" is out of range for type integer'],
      ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
      ['22P05', 'unsupported Unicode escape sequence'],
    ] as const) {
      const r = answer(pgError(code, message));
      expect(r.status, code).toBe(400);
      expect(r.body?.error.code).toBe('BAD_REQUEST');
      // Written for a person: no SQL, no SQLSTATE.
      expect(r.body?.error.message).not.toContain(code);
      expect(r.body?.error.message).not.toContain('syntax');
      expect(r.logged).toHaveLength(1);
    }
  });

  it('still answers 500 for other database errors', () => {
    const r = answer(pgError('42P01', 'relation "x" does not exist'));
    expect(r.status).toBe(500);
    expect(r.body?.error).toEqual({ code: 'INTERNAL', message: 'Internal error' });
  });
});
