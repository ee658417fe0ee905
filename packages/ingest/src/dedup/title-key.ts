import { foldText } from './text.ts';

/**
 * Title as compared: folded text without the square brackets databases put around translated
 * titles and without a trailing bracketed note such as `(Review)` or `[Spanish]`.
 */
export function titleKey(title: string): string {
  const trimmed = title
    .trim()
    .replace(
      /\s*[[(](?:review|editorial|letter|abstract|comment|author'?s transl|[a-z]+ language|spanish|french|german|chinese|japanese|russian|portuguese|italian)[\])]\.?\s*$/i,
      '',
    )
    .replace(/^\[(.*)\]\.?$/s, '$1');
  return foldText(trimmed);
}

/** Title key without spaces: word splits differ between databases (`health care` / `healthcare`). */
export function compactTitle(key: string): string {
  return key.replace(/ /g, '');
}
