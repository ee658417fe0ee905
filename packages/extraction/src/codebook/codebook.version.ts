import { WinnowError } from '@winnow/core';
import { parseCodebook } from './codebook.schema.ts';
import type { Codebook } from './codebook.types.ts';

/**
 * Editing never changes a version in place: codings made against v3 must still make sense
 * against v3. The edit receives a deep copy and returns the next version.
 */
export function reviseCodebook(
  current: Codebook,
  edit: (draft: Codebook) => Codebook | void,
  changeNote?: string,
): Codebook {
  const draft = structuredClone(current);
  const edited = edit(draft) ?? draft;
  if (edited.id !== current.id)
    throw new WinnowError(
      'VALIDATION',
      `A revision cannot change the codebook id (${current.id} -> ${edited.id})`,
      {
        location: { field: 'id' },
      },
    );
  const next: Codebook = { ...edited, version: current.version + 1 };
  if (changeNote !== undefined) next.changeNote = changeNote;
  else delete next.changeNote;
  return parseCodebook(next, `${current.id} v${next.version}`);
}
