import { z } from 'zod';

/** What a route's validation needs of a zod issue. */
export interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
}
/** An issue with the fields its kind adds (maximum, expected, values…). */
type Detailed = Issue & Record<string, unknown>;

type Node = z.core.$ZodType;

/**
 * Gives every field of an object schema a title: the words its form shows, used by validation
 * messages ("Share of records served at random must be between 0 and 1.") and in the API's
 * OpenAPI description. A field without one is named from its key ("randomShare": "Random share").
 */
export function titled<S extends z.ZodObject>(
  schema: S,
  titles: Partial<Record<keyof S['shape'] & string, string>>,
): S {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, title] of Object.entries(titles) as [string, string | undefined][]) {
    const field = (schema.shape as Record<string, z.ZodType>)[key];
    if (field && title) shape[key] = field.meta({ title });
  }
  return schema.safeExtend(shape) as unknown as S;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The schema inside wrappers (optional, default, a transform's input…), and the title met on the way. */
function unwrap(node: Node | undefined): { node: Node | undefined; title?: string } {
  let title: string | undefined;
  for (let depth = 0; node && depth < 20; depth++) {
    title ??= z.globalRegistry.get(node)?.title;
    const def = node._zod.def as { type: string; innerType?: Node; in?: Node; getter?: () => Node };
    if (WRAPPERS.has(def.type) && def.innerType) node = def.innerType;
    else if (def.type === 'pipe' && def.in) node = def.in;
    else if (def.type === 'lazy' && def.getter) node = def.getter();
    else break;
  }
  return { node, title };
}

/** One step into a schema: an object's field, an array's element, a record's value. */
function child(node: Node | undefined, key: PropertyKey): Node | undefined {
  if (!node) return undefined;
  const def = node._zod.def as {
    type: string;
    shape?: Record<string, Node>;
    element?: Node;
    valueType?: Node;
    options?: readonly Node[];
  };
  switch (def.type) {
    case 'object':
      return def.shape?.[String(key)];
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    case 'union':
      for (const option of def.options ?? []) {
        const found = child(unwrap(option).node, key);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The schema an issue's path leads to, with its title when it has one. */
function schemaAt(schema: Node | undefined, path: readonly PropertyKey[]): { node?: Node; title?: string } {
  let at = unwrap(schema);
  for (const key of path) at = unwrap(child(at.node, key));
  return at;
}

/** "randomShare" → "Random share"; a list item by its number: "exclusionReasons.2.label" → "Exclusion reasons, item 3, label". */
function nameOf(path: readonly PropertyKey[], where: 'body' | 'query'): string {
  if (path.length === 0) return where === 'body' ? 'The request' : 'The request’s query';
  const words = path.map((key) =>
    typeof key === 'number'
      ? `item ${key + 1}`
      : String(key)
          .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
          .replace(/[_-]+/g, ' ')
          .toLowerCase(),
  );
  const text = words.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SAFE = Number.MAX_SAFE_INTEGER;
/** Numbers as people write them: 10,000 and 0.95, but a year or a small count without a comma. */
const num = (n: number) =>
  Math.abs(n) < 10_000 ? String(n) : n.toLocaleString('en-GB', { maximumFractionDigits: 6 });

/** The limits of a number schema in words: "between 0 and 1", "more than 0 and at most 1", "at least 2". */
function numberRule(node: Node | undefined, issue: Detailed, stateKind: boolean): string {
  let json: {
    type?: string;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
  } = {};
  try {
    if (node && (node._zod.def as { type: string }).type === 'number')
      json = z.toJSONSchema(node, { unrepresentable: 'any', io: 'input' }) as typeof json;
  } catch {
    json = {};
  }
  // Without the schema, the issue's own limit.
  if (json.type === undefined) {
    if (issue.code === 'too_big' && typeof issue.maximum === 'number')
      json = issue.inclusive === false ? { exclusiveMaximum: issue.maximum } : { maximum: issue.maximum };
    if (issue.code === 'too_small' && typeof issue.minimum === 'number')
      json = issue.inclusive === false ? { exclusiveMinimum: issue.minimum } : { minimum: issue.minimum };
  }
  const whole = json.type === 'integer';
  const low =
    json.exclusiveMinimum !== undefined
      ? { n: json.exclusiveMinimum, open: true }
      : json.minimum !== undefined && json.minimum > -SAFE
        ? { n: json.minimum, open: false }
        : null;
  const high =
    json.exclusiveMaximum !== undefined
      ? { n: json.exclusiveMaximum, open: true }
      : json.maximum !== undefined && json.maximum < SAFE
        ? { n: json.maximum, open: false }
        : null;
  const kind = whole ? 'a whole number' : 'a number';
  const lower = low && (low.open ? `more than ${num(low.n)}` : `at least ${num(low.n)}`);
  const upper = high && (high.open ? `less than ${num(high.n)}` : `at most ${num(high.n)}`);
  if (low && high && !low.open && !high.open)
    return `must be ${whole || stateKind ? `${kind} ` : ''}between ${num(low.n)} and ${num(high.n)}`;
  const range = [lower, upper].filter(Boolean).join(' and ');
  if (!range) return `must be ${kind}`;
  return whole || stateKind ? `must be ${kind}, ${range}` : `must be ${range}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be a set of named values (a JSON object)',
  date: 'must be a date',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'must be an email address',
  url: 'must be a web address',
  uuid: 'is not a valid id',
  guid: 'is not a valid id',
  datetime: 'must be a date and time, such as 2024-05-02T10:00:00Z',
  date: 'must be a date, such as 2024-05-02',
  regex: 'is not in the expected form',
};

const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

/** Zod's own English messages (those a schema did not replace with its own words). */
const ZOD_WORDING =
  /^(Invalid input|Invalid option|Too big:|Too small:|Invalid string:|Invalid number:|Invalid \w+$|Unrecognized keys?:|Invalid key in|Invalid value in|Invalid discriminator)/;

/** A rule in words ("must be between 0 and 1"), for an issue zod worded itself. */
function rule(issue: Detailed, node: Node | undefined): string {
  const origin = typeof issue.origin === 'string' ? issue.origin : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.received === 'undefined' || / received undefined$/.test(issue.message)) return 'is missing';
      if (issue.expected === 'number' || issue.expected === 'int') return numberRule(node, issue, true);
      return TYPE_WORDS[String(issue.expected)] ?? 'is not of the expected kind';
    }
    case 'too_big':
    case 'too_small': {
      if (origin === 'number' || origin === 'int' || origin === 'bigint')
        return numberRule(node, issue, false);
      const n = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const unit = origin === 'string' ? 'character' : 'item';
      const verb = origin === 'string' ? 'must be' : 'must have';
      if (issue.code === 'too_small' && n === 1) return 'must not be empty';
      const bound = issue.code === 'too_big' ? 'at most' : 'at least';
      return `${verb} ${bound} ${plural(n, unit)}${origin === 'string' ? ' long' : ''}`;
    }
    case 'invalid_value': {
      const values = Array.isArray(issue.values) ? issue.values.map((v) => JSON.stringify(v)) : [];
      if (values.length === 1) return `must be ${values[0]}`;
      if (values.length > 1)
        return `must be one of ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
      return 'is not one of the allowed values';
    }
    case 'invalid_format':
      return FORMAT_WORDS[String(issue.format)] ?? 'is not in the expected form';
    case 'not_multiple_of':
      return `must be a multiple of ${num(Number(issue.divisor))}`;
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return `has ${keys.length === 1 ? 'a field' : 'fields'} it does not know: ${keys.join(', ')}`;
    }
    default:
      return 'is not valid';
  }
}

/**
 * A validation issue in words for the person who sent it: the field by its title (the label its
 * form shows) and the rule it broke, such as "Share of records served at random must be between
 * 0 and 1." A schema's own message is kept: a sentence as it is, a phrase after the field's name
 * ("Authors: name the authors or the organisation"). The field's path goes in the error's location.
 */
export function validationMessage(
  schema: z.core.$ZodType | undefined,
  issue: Issue | undefined,
  where: 'body' | 'query',
): string {
  const path = issue?.path ?? [];
  const { node, title } = schemaAt(schema, path);
  const name = title ?? nameOf(path, where);
  const message = issue?.message ?? '';
  if (!issue || message === '' || ZOD_WORDING.test(message)) {
    return `${name} ${issue ? rule(issue as Detailed, node) : 'is not valid'}.`;
  }
  if (/^\p{Lu}/u.test(message)) return message;
  if (/^(must|is|has|should|cannot) /.test(message)) return `${name} ${message}`;
  return `${name}: ${message}`;
}
