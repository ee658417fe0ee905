import { WinnowError } from '@winnow/core';
import type { ParseDiagnostic, ParsedRecord } from '../record.types.ts';
import { createBibtexReader } from './bibtex.parser.ts';
import { createCsvReader } from './csv.parser.ts';
import { decodeBytes, decodeChunks, normaliseChunks } from './decode.ts';
import { DETECT_SAMPLE, detectFormat } from './detect.ts';
import { createEndnoteXmlReader } from './endnote-xml.parser.ts';
import type { IngestFormat } from './formats.ts';
import { describeChars, parseLimits } from './limits.ts';
import { dropNul, withoutNul } from './nul-chars.ts';
import { createMedlineReader } from './medline.parser.ts';
import { createPubmedXmlReader } from './pubmed-xml.parser.ts';
import type { FormatReader, ReaderOptions, RecordSink } from './reader.types.ts';
import { createRisReader } from './ris.parser.ts';
import { createWosPlainReader } from './wos-plain.parser.ts';

export interface ParseOptions extends ReaderOptions {
  /** Records per yielded batch at most (a batch also ends with each input chunk). */
  batchSize?: number;
}

export interface ParseBatch {
  format: IngestFormat;
  records: ParsedRecord[];
  diagnostics: ParseDiagnostic[];
}

export function createReader(
  format: IngestFormat,
  sink: RecordSink,
  options: ReaderOptions = {},
): FormatReader {
  const limits = parseLimits(options.limits);
  switch (format) {
    case 'ris':
      return createRisReader(sink, limits);
    case 'medline':
      return createMedlineReader(sink, limits);
    case 'wos-plain':
      return createWosPlainReader(sink, limits);
    case 'wos-tab':
      return createCsvReader(sink, { ...options, wosTab: true });
    case 'csv':
      return createCsvReader(sink, options);
    case 'pubmed-xml':
      return createPubmedXmlReader(sink, limits);
    case 'endnote-xml':
      return createEndnoteXmlReader(sink, limits);
    case 'bibtex':
      return createBibtexReader(sink, limits);
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Parse a stream of text chunks. Yields a batch per input chunk (so a BullMQ lock is never starved:
 * the event loop runs between chunks). Per-record problems are diagnostics in the batches; an
 * input with no readable record at all throws PARSE_ERROR, an unknown format UNSUPPORTED_FORMAT.
 */
export async function* parseStream(
  format: IngestFormat | 'auto',
  chunks: AsyncIterable<string>,
  options: ParseOptions = {},
): AsyncGenerator<ParseBatch> {
  const file = options.fileName;
  const maxBatch = options.batchSize ?? 1000;
  let records: ParsedRecord[] = [];
  let diagnostics: ParseDiagnostic[] = [];
  let total = 0;
  let errors = 0;
  let firstError: ParseDiagnostic | undefined;
  const { totalChars } = parseLimits(options.limits);
  let kept = 0;
  let full = false;
  const sink: RecordSink = {
    record: (parsed) => {
      if (full) return;
      const cleaned = withoutNul(parsed);
      const r = cleaned?.record ?? parsed;
      const rec = r.record;
      kept += rec.raw.length + rec.title.length + (rec.abstract?.length ?? 0);
      if (kept > totalChars) {
        // The rest of the file is not read: what dedup and screening would hold is bounded too.
        full = true;
        sink.diagnostic({
          severity: 'error',
          record: r.index,
          line: r.line,
          message: `the import passed its limit of ${describeChars(totalChars)} characters of text here; this record and the rest of the file were not imported`,
        });
        return;
      }
      if (cleaned) sink.diagnostic(cleaned.warning);
      records.push(r);
      total++;
    },
    diagnostic: (quoted) => {
      // A message may quote the line that held a NUL; the import stores its messages.
      const message = dropNul(quoted.message);
      const d = message === quoted.message ? quoted : { ...quoted, message };
      diagnostics.push(d);
      if (d.severity === 'error') {
        errors++;
        firstError ??= d;
      }
    },
  };
  let resolved: IngestFormat | undefined = format === 'auto' ? undefined : format;
  let reader: FormatReader | undefined = resolved ? createReader(resolved, sink, options) : undefined;
  let sample = '';

  const take = (): ParseBatch => {
    const batch = { format: resolved!, records, diagnostics };
    records = [];
    diagnostics = [];
    return batch;
  };
  const feed = async (text: string): Promise<void> => {
    try {
      await reader!.push(text);
    } catch (e) {
      throw asParseError(e, file);
    }
  };

  for await (const chunk of normaliseChunks(chunks)) {
    if (!reader) {
      sample += chunk;
      if (sample.length < DETECT_SAMPLE) continue;
      resolved = detectFormat(sample, file);
      reader = createReader(resolved, sink, options);
      const s = sample;
      sample = '';
      await feed(s);
    } else {
      await feed(chunk);
    }
    while (records.length > maxBatch) {
      const batch = { format: resolved!, records: records.slice(0, maxBatch), diagnostics };
      records = records.slice(maxBatch);
      diagnostics = [];
      yield batch;
    }
    if (records.length || diagnostics.length) yield take();
    if (full) break;
    await yieldToLoop();
  }
  if (!reader) {
    if (!sample.trim())
      throw new WinnowError('PARSE_ERROR', `${file ?? 'input'}: the file is empty`, {
        location: { file, line: 1 },
      });
    resolved = detectFormat(sample, file);
    reader = createReader(resolved, sink, options);
    await feed(sample);
  }
  try {
    if (!full) await reader.end();
  } catch (e) {
    throw asParseError(e, file);
  }
  if (total === 0) {
    const why = firstError ? `: ${firstError.message}` : '';
    throw new WinnowError('PARSE_ERROR', `${file ?? 'input'}: no ${resolved} record could be read${why}`, {
      location: { file, line: firstError?.line ?? 1, record: firstError?.record },
      errors,
    });
  }
  if (records.length || diagnostics.length) yield take();
}

function asParseError(e: unknown, file: string | undefined): unknown {
  if (e instanceof WinnowError) {
    const message = dropNul(e.message);
    return message === e.message ? e : new WinnowError(e.code, message, e.details);
  }
  const err = e as { message?: string; lines?: number };
  return new WinnowError('PARSE_ERROR', `${file ?? 'input'}: ${dropNul(err.message ?? String(e))}`, {
    location: { file, line: err.lines },
  });
}

/** Parse raw bytes as they come from a file or upload stream (encoding sniffed, BOM removed). */
export function parseByteStream(
  format: IngestFormat | 'auto',
  bytes: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<ParseBatch> {
  return parseStream(format, decodeChunks(bytes), options);
}

/** Convenience for small inputs and tests: everything in memory. */
export async function parseText(
  input: string | Uint8Array,
  options: ParseOptions & { format?: IngestFormat | 'auto' } = {},
): Promise<{ format: IngestFormat; records: ParsedRecord[]; diagnostics: ParseDiagnostic[] }> {
  const text = typeof input === 'string' ? input : decodeBytes(input);
  const out = {
    format: 'ris' as IngestFormat,
    records: [] as ParsedRecord[],
    diagnostics: [] as ParseDiagnostic[],
  };
  async function* one(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += 256 * 1024) yield text.slice(i, i + 256 * 1024);
  }
  for await (const b of parseStream(options.format ?? 'auto', one(), options)) {
    out.format = b.format;
    out.records.push(...b.records);
    out.diagnostics.push(...b.diagnostics);
  }
  return out;
}

/** `record 17 (line 402): no title; kept with warning` */
export function formatDiagnostic(d: ParseDiagnostic, fileName?: string): string {
  const where =
    d.record !== undefined
      ? `record ${d.record}${d.line !== undefined ? ` (line ${d.line})` : ''}`
      : d.line !== undefined
        ? `line ${d.line}`
        : '';
  return `${fileName ? `${fileName}: ` : ''}${where ? `${where}: ` : ''}${d.message}`;
}

/**
 * Counts the damaged records of a parse from its diagnostics: records skipped, and records kept
 * with what could be read of them (a record both repaired and then skipped counts as skipped).
 */
export class DamageCount {
  private readonly skippedRecords = new Set<number>();
  private readonly repairedRecords = new Set<number>();
  private unnumberedSkipped = 0;
  private unnumberedRepaired = 0;

  note(d: ParseDiagnostic): void {
    if (!d.damage) return;
    if (d.record === undefined) {
      if (d.damage === 'skipped') this.unnumberedSkipped++;
      else this.unnumberedRepaired++;
    } else if (d.damage === 'skipped') {
      this.skippedRecords.add(d.record);
      this.repairedRecords.delete(d.record);
    } else if (!this.skippedRecords.has(d.record)) this.repairedRecords.add(d.record);
  }

  get skipped(): number {
    return this.skippedRecords.size + this.unnumberedSkipped;
  }

  get repaired(): number {
    return this.repairedRecords.size + this.unnumberedRepaired;
  }
}
