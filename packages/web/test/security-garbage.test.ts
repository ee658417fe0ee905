import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIncludedReports, tinyPdf } from '@winnow/extraction/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/** The parts of a JSON schema (as zod publishes it in the OpenAPI document) this sweep reads. */
interface Schema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  access: unknown;
  parameters: Parameter[];
  json?: Schema;
  raw: boolean;
}

interface Answer {
  status: number;
  body: { error?: { code?: string; message?: string; location?: { field?: string } } } | undefined;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NUL = 'a\u0000b';
const INJECTION = "x' OR '1'='1' --";
const LONG = 'x'.repeat(300);
const HUGE_TEXT = 'y'.repeat(100_000);
/** How the error handler words a value PostgreSQL refused (http/error-handler.ts). */
const DATABASE_REFUSAL = 'The request holds a value that cannot be stored';

/** Garbage for one string slot (path parameter, query parameter), as the raw text sent. */
const TEXT_GARBAGE = [
  NUL,
  '-1',
  INJECTION,
  LONG,
  '99999999999999999999',
  '1e20',
  '2147483648',
  '1.5',
  '__proto__',
  'constructor',
];

/** Garbage for one JSON body slot, as raw JSON text (so 99999999999999999999 and __proto__ arrive as typed). */
const JSON_GARBAGE = [
  JSON.stringify(NUL),
  JSON.stringify([NUL]),
  JSON.stringify('-1'),
  JSON.stringify(INJECTION),
  JSON.stringify(LONG),
  JSON.stringify(HUGE_TEXT),
  '99999999999999999999',
  '1e20',
  '2147483648',
  '9007199254740991',
  '-1',
  '1.5',
  'true',
  'null',
  '{}',
  '[]',
  '{"__proto__":{"admin":true}}',
  '{"a\\u0000":1}',
];

const isType = (s: Schema, t: string) => s.type === t || (Array.isArray(s.type) && s.type.includes(t));

/** A value the schema accepts, so a request gets past validation except for the one slot under test. */
function sample(s: Schema | undefined): unknown {
  if (!s) return {};
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const option = s.anyOf?.find((o) => !isType(o, 'null')) ?? s.oneOf?.[0];
  if (option) return sample(option);
  if (isType(s, 'object') || s.properties)
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v)]));
  if (isType(s, 'array')) return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items));
  if (isType(s, 'integer') || isType(s, 'number')) return numberSample(s);
  if (isType(s, 'boolean')) return false;
  if (isType(s, 'string')) {
    if (s.format === 'uuid') return UNKNOWN_ID;
    if (s.format === 'uri') return 'https://example.org/paper.pdf';
    if (s.pattern?.includes('https?')) return 'https://example.org/report.pdf';
    if (s.pattern?.includes('\\d{4}')) return '2024-01-31';
    if (s.pattern) return 'sweep-sample';
    return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
  return {};
}

/** A number inside the schema's bounds (1 where it can be). */
function numberSample(s: Schema): number {
  const lo = s.minimum ?? s.exclusiveMinimum ?? -Infinity;
  const hi = s.maximum ?? s.exclusiveMaximum ?? Infinity;
  if (lo < 1 && 1 < hi) return 1;
  if (s.minimum !== undefined || s.maximum !== undefined) return s.minimum ?? s.maximum!;
  if (isType(s, 'integer')) return Math.floor(lo) + 1;
  return Number.isFinite(hi) ? (lo + hi) / 2 : lo + 1;
}

/** Path values that name real things in the review (filled in beforeAll), so handlers run past their lookups. */
const EXISTING: Record<string, string> = {
  review: 'garbage-review',
  stage: 'full-text',
  version: '1',
  key: 'records_screened',
  position: '1',
};

function pathSample(p: Parameter): string {
  return EXISTING[p.name] ?? String(sample(p.schema ?? { type: 'string', format: 'uuid' }));
}

/** Leaf slots of a body schema as paths (`recordIds.0`, `previous.studies`), one level into arrays. */
function slots(s: Schema | undefined, prefix: string[] = []): string[][] {
  if (!s) return [];
  const option = s.anyOf?.find((o) => !isType(o, 'null')) ?? s.oneOf?.[0];
  if (option) return slots(option, prefix);
  if (s.properties) {
    const inner = Object.entries(s.properties).flatMap(([k, v]) => slots(v, [...prefix, k]));
    return prefix.length === 0 ? inner : [prefix, ...inner];
  }
  if (isType(s, 'array')) return [prefix, ...slots(s.items, [...prefix, '0'])];
  return prefix.length === 0 ? [] : [prefix];
}

function schemaAt(s: Schema | undefined, path: string[]): Schema | undefined {
  let at = s;
  for (const key of path) {
    at = at?.anyOf?.find((o) => !isType(o, 'null')) ?? at?.oneOf?.[0] ?? at;
    at = /^\d+$/.test(key) ? at?.items : at?.properties?.[key];
  }
  return at;
}

/** The body as JSON text with the raw garbage fragment at `path`. */
function bodyWith(base: unknown, path: string[], fragment: string): string {
  const marker = '\u0001GARBAGE\u0001';
  const copy = structuredClone(base) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), fragment);
}

/** Whether the published schema itself refuses this value, so the answer must say which field. */
function schemaRefuses(s: Schema | undefined, value: unknown): boolean {
  if (!s) return false;
  if (typeof value === 'string' && value.includes('\u0000')) return true;
  if (s.format === 'uuid') return typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value);
  if (s.enum) return !s.enum.includes(value);
  if (typeof value === 'string' && s.pattern && !new RegExp(s.pattern).test(value)) return true;
  if (typeof value === 'string' && s.maxLength !== undefined && value.length > s.maxLength) return true;
  if (isType(s, 'integer')) {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) return true;
    return (s.maximum !== undefined && n > s.maximum) || (s.minimum !== undefined && n < s.minimum);
  }
  return false;
}

const label = (op: Operation) => `${op.method} ${op.path}`;

describe('garbage in every slot of every route answers a typed 4xx', () => {
  let app: TestApp;
  let lead: TestUser;
  let ops: Operation[];

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('garbage-review');
    lead = await app.user('Garbage lead', review, ['lead']);
    // One included record with a report and an attached PDF, linked to a study: real ids to aim at.
    const [reportId] = await seedIncludedReports(app.rt.db, review.id, [
      { title: 'Leadership for quality improvement', pdf: tinyPdf('Leadership for quality improvement') },
    ]);
    const linked = await lead.api<{ studyId: string }>(
      'POST',
      `/reviews/garbage-review/reports/${reportId}/study`,
      {
        label: 'Garbage study',
      },
    );
    const { rows } = await app.rt.db.query<{ recordId: string; importId: string; blobId: string }>(
      `SELECT r.id AS "recordId", r.import_id AS "importId", (t.detail->>'blobId') AS "blobId"
         FROM reports p JOIN records r ON r.id = p.record_id JOIN report_retrievals t ON t.report_id = p.id
        WHERE p.id = $1`,
      [reportId],
    );
    expect(linked.body.studyId).toBeTruthy();
    expect(rows[0]?.blobId).toBeTruthy();
    Object.assign(EXISTING, { reportId: reportId!, study: linked.body.studyId, ...rows[0] });
    const doc = (await (await app.fetch('/api/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            'x-access': unknown;
            parameters?: Parameter[];
            requestBody?: { content: Record<string, { schema: Schema }> };
          }
        >
      >;
    };
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-access'],
        parameters: op.parameters ?? [],
        json: op.requestBody?.content['application/json']?.schema,
        raw: Boolean(op.requestBody?.content['application/octet-stream']),
      })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends one request as the review's lead (so access checks pass and the handler runs). */
  async function send(
    op: Operation,
    path: Record<string, string>,
    query: Record<string, string>,
    body: string | undefined,
  ): Promise<Answer> {
    let url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ''));
    const qs = new URLSearchParams(query).toString();
    if (qs) url += `?${qs}`;
    const headers: Record<string, string> = { authorization: `Bearer ${lead.token}` };
    let payload: string | undefined;
    if (op.raw) {
      headers['content-type'] = 'application/octet-stream';
      payload = 'TY  - JOUR\nTI  - Garbage sweep\nER  - \n';
    } else if (op.method !== 'GET' && op.method !== 'DELETE') {
      headers['content-type'] = 'application/json';
      payload = body ?? JSON.stringify(sample(op.json));
    }
    const res = await fetch(`${app.url}${url}`, { method: op.method, headers, body: payload });
    const text = await res.text();
    let parsed: Answer['body'];
    try {
      parsed = text ? (JSON.parse(text) as Answer['body']) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  }

  it('publishes the schema of every path parameter in the OpenAPI document', () => {
    const params = ops.flatMap((op) => op.parameters.filter((p) => p.in === 'path'));
    const byName = new Map(params.map((p) => [p.name, p.schema]));
    expect(byName.get('reportId')).toMatchObject({ type: 'string', format: 'uuid' });
    expect(byName.get('stage')).toMatchObject({ enum: ['title-abstract', 'full-text'] });
    expect(byName.get('version')?.pattern).toBeDefined();
    expect(byName.get('review')?.pattern).toBeDefined();
    // Every parameter says more than "a string": a format, an enum, a pattern or a length.
    const vague = params.filter((p) => {
      const s = p.schema ?? {};
      return !s.format && !s.enum && !s.pattern && s.maxLength === undefined;
    });
    expect(vague.map((p) => p.name)).toEqual([]);
  });

  /** Zod's own English, and the old `body field "x":` prefix: people are told the field and the rule in words. */
  const VALIDATOR_WORDING =
    /Too big:|Too small:|Invalid input|Invalid option|expected \w+, received|(body|query) field "/;

  it('sends NUL bytes, non-UUID ids, huge numbers, wrong types, __proto__ and long strings everywhere: no 5xx, and refused values are named', async () => {
    const crashed: string[] = [];
    const unnamed: string[] = [];
    const unvalidated: string[] = [];
    let sent = 0;
    const check = (op: Operation, slot: string, shown: string, res: Answer, mustName: boolean) => {
      sent += 1;
      const what = `${label(op)} ${slot}=${shown.slice(0, 40)} -> ${res.status} ${res.body?.error?.message?.slice(0, 120) ?? ''}`;
      if (res.status >= 500) crashed.push(what);
      // The database's refusal is only a backstop: every class here must be stopped by validation.
      else if (res.body?.error?.message?.startsWith(DATABASE_REFUSAL)) unvalidated.push(what);
      else if (mustName) {
        const error = res.body?.error;
        // A refused value is answered with a 4xx that says which field: its path in the location,
        // and in the message its name in words with the rule it broke, never the validator's wording.
        if (
          res.status < 400 ||
          error?.location?.field !== slot ||
          !error.message ||
          VALIDATOR_WORDING.test(error.message)
        )
          unnamed.push(what);
      }
    };
    for (const op of ops) {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const basePath = Object.fromEntries(pathParams.map((p) => [p.name, pathSample(p)]));
      // Only what the route requires, so each request fails, if at all, on the slot under test.
      const baseQuery = Object.fromEntries(
        queryParams
          .filter((p) => p.required)
          .map((p) => [p.name, p.name === 'fileName' ? 'sweep.ris' : String(sample(p.schema))]),
      );
      for (const p of pathParams) {
        for (const value of TEXT_GARBAGE) {
          const res = await send(op, { ...basePath, [p.name]: value }, baseQuery, undefined);
          check(op, p.name, JSON.stringify(value), res, schemaRefuses(p.schema, value));
        }
      }
      for (const p of queryParams) {
        for (const value of [...TEXT_GARBAGE, HUGE_TEXT.slice(0, 6_000)]) {
          const res = await send(op, basePath, { ...baseQuery, [p.name]: value }, undefined);
          check(op, p.name, JSON.stringify(value), res, schemaRefuses(p.schema, value));
        }
      }
      if (op.raw || op.method === 'GET' || op.method === 'DELETE') continue;
      const base = sample(op.json);
      for (const slot of slots(op.json)) {
        for (const fragment of JSON_GARBAGE) {
          const value: unknown = JSON.parse(fragment);
          const res = await send(op, basePath, baseQuery, bodyWith(base, slot, fragment));
          const nulInside = fragment.includes('\\u0000');
          // A NUL nested in an array or key is named by its own path, which the check below covers.
          const named = typeof value === 'string' && schemaRefuses(schemaAt(op.json, slot), value);
          check(op, slot.join('.'), fragment, res, named || (nulInside && typeof value === 'string'));
          if (nulInside && Array.isArray(value) && res.status < 500)
            check(op, [...slot, '0'].join('.'), fragment, res, true);
        }
      }
      for (const whole of ['[]', '"text"', 'null', '{"__proto__":{"admin":true}}', '{"k\\u0000":"v"}']) {
        const res = await send(op, basePath, baseQuery, whole);
        check(op, 'body', whole, res, false);
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(crashed).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(unvalidated).toEqual([]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  }, 600_000);
});
