import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { titled, validationMessage } from './validation-message.ts';

/** The message for the first issue of parsing `value` with `schema`. */
function messageFor(schema: z.ZodType, value: unknown, where: 'body' | 'query' = 'body'): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be refused');
  return validationMessage(schema, parsed.error.issues[0], where);
}

const settings = titled(
  z
    .object({
      retrainEvery: z.number().int().min(1).max(10_000).default(5),
      randomShare: z.number().min(0).max(1).default(0),
      targetRecall: z.number().gt(0).max(1).default(0.95),
      confidence: z.number().gt(0).lt(1).default(0.95),
      size: z.number().int().min(2).max(500).default(30),
      threshold: z.number().min(-1).max(1),
      classifier: z.enum(['svm', 'naive-bayes']),
      seed: z.number().int().min(0),
    })
    .partial(),
  {
    retrainEvery: 'Retrain after this many more settled records',
    randomShare: 'Share of records served at random',
    targetRecall: 'The recall to reach (stopping rule)',
    confidence: 'The confidence (stopping rule)',
    size: 'The number of pilot records',
    threshold: 'The kappa threshold',
  },
);

describe('validationMessage', () => {
  it('names a field by its title and states its limits in words', () => {
    expect(messageFor(settings, { randomShare: 5 })).toBe(
      'Share of records served at random must be between 0 and 1.',
    );
    expect(messageFor(settings, { randomShare: -0.5 })).toBe(
      'Share of records served at random must be between 0 and 1.',
    );
    expect(messageFor(settings, { size: 0 })).toBe(
      'The number of pilot records must be a whole number between 2 and 500.',
    );
    expect(messageFor(settings, { size: 2.5 })).toBe(
      'The number of pilot records must be a whole number between 2 and 500.',
    );
    expect(messageFor(settings, { retrainEvery: 20_000 })).toBe(
      'Retrain after this many more settled records must be a whole number between 1 and 10,000.',
    );
    expect(messageFor(settings, { targetRecall: 0 })).toBe(
      'The recall to reach (stopping rule) must be more than 0 and at most 1.',
    );
    expect(messageFor(settings, { confidence: 1 })).toBe(
      'The confidence (stopping rule) must be more than 0 and less than 1.',
    );
    expect(messageFor(settings, { threshold: 3 })).toBe('The kappa threshold must be between -1 and 1.');
  });

  it('says a value that is not a number must be one, with its limits', () => {
    expect(messageFor(settings, { randomShare: null })).toBe(
      'Share of records served at random must be a number between 0 and 1.',
    );
    expect(messageFor(settings, { size: 'many' })).toBe(
      'The number of pilot records must be a whole number between 2 and 500.',
    );
    expect(messageFor(z.object({ year: z.coerce.number().int().min(0).max(9999) }), { year: 'abcd' })).toBe(
      'Year must be a whole number between 0 and 9999.',
    );
  });

  it('names an untitled field from its key, and never in validator wording', () => {
    const message = messageFor(settings, { seed: -1 });
    expect(message).toBe('Seed must be a whole number, at least 0.');
    expect(messageFor(z.object({ pageSize: z.number().max(3) }), { pageSize: 9 })).toBe(
      'Page size must be at most 3.',
    );
    expect(messageFor(settings, { classifier: 'forest' })).toBe(
      'Classifier must be one of "svm" or "naive-bayes".',
    );
    expect(messageFor(z.object({ name: z.string().min(1).max(5) }), { name: '' })).toBe(
      'Name must not be empty.',
    );
    expect(messageFor(z.object({ name: z.string().max(5) }), { name: 'toolong' })).toBe(
      'Name must be at most 5 characters long.',
    );
    expect(messageFor(z.object({ name: z.string() }), {})).toBe('Name is missing.');
    expect(messageFor(z.object({ items: z.array(z.object({ label: z.string() })) }), { items: [{}] })).toBe(
      'Items, item 1, label is missing.',
    );
    for (const m of [
      messageFor(settings, { randomShare: 5 }),
      messageFor(settings, { classifier: 1 }),
      messageFor(z.object({ id: z.uuid() }), { id: 'x' }),
    ]) {
      expect(m).not.toMatch(/Too big|Too small|Invalid|expected|field "/);
    }
  });

  it('keeps a schema’s own words: a sentence as it is, a phrase after the field’s name', () => {
    const schema = z
      .object({
        title: z.string().min(1, 'the title is missing'),
        from: z.number(),
        to: z.number(),
      })
      .refine((v) => v.from <= v.to, { path: ['to'], message: 'The range runs backwards.' });
    expect(messageFor(schema, { title: '', from: 1, to: 2 })).toBe('Title: the title is missing');
    expect(messageFor(schema, { title: 'x', from: 2, to: 1 })).toBe('The range runs backwards.');
    const nul = validationMessage(
      schema,
      { path: ['title'], message: 'must not contain the NUL character (U+0000)' },
      'body',
    );
    expect(nul).toBe('Title must not contain the NUL character (U+0000)');
  });

  it('titles fields without changing what the schema accepts', () => {
    const plain = z.object({ share: z.number().min(0).max(1).default(0), n: z.number() }).partial();
    const withTitle = titled(plain, { share: 'Share' });
    for (const value of [{ share: 0.5 }, {}, { n: 3 }])
      expect(withTitle.parse(value)).toEqual(plain.parse(value));
    expect(withTitle.safeParse({ share: 2 }).success).toBe(false);
    expect(z.toJSONSchema(settings, { io: 'input' })).toMatchObject({
      properties: { randomShare: { title: 'Share of records served at random' } },
    });
  });
});
