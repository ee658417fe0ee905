import { foldText } from './text.ts';

/**
 * Notes databases add to a title (Ovid MEDLINE appends the Comments/Corrections links of NLM's
 * MEDLINE element descriptions to the title: `[Erratum appears in Chest 1993 May;103(5):1640]`,
 * `[published erratum appears in ...]`, `[Retraction in ...]`, `[Comment in ...]`, `[see
 * comments]`; older MEDLINE marks translated German/Japanese titles `(Author's transl)`; Embase
 * and CINAHL may end a title with `[Review]`, `[Spanish]` or `[Abstract]`). Anywhere in the title.
 */
const LINK_NOTE =
  /\s*\[(?:\s*(?:(?:published\s+)?errat(?:um|a)\s+(?:appears?\s+)?in|(?:partial\s+)?retraction\s+(?:in|of)|retracted|comment(?:ed)?\s+(?:in|on)|comments?|see\s+(?:comments?|editorial|also|related)|update\s+(?:in|of)|updated\s+in|republished\s+(?:in|from)|corrected\s+and\s+republished|expression\s+of\s+concern|summary\s+for\s+patients|reprint(?:ed)?\s+(?:in|of)|original\s+report|correction)\b[^\][]*)\]\.?/gi;

/** A short bracketed label at the end: document type, language, translation note. */
const TRAILING_LABEL =
  /\s*[[(](?:review|reviews|editorial|letter|abstract|comment|news|author'?s\s+transl|authors'?\s+transl|[a-z]+ language|in\s+[a-z]+|spanish|french|german|chinese|japanese|russian|portuguese|italian|polish|dutch|czech|hungarian|danish|swedish|norwegian|turkish|korean|hebrew|english abstract|meeting abstract|conference abstract|\d+\s+refs?|\d+\s+references)[\])]\.?\s*$/i;

/**
 * The title without the notes databases add to it. The record keeps its title as exported:
 * this is for matching and for telling what kind of report it is.
 */
export function stripTitleAnnotations(title: string): string {
  let t = title.replace(LINK_NOTE, ' ').trim();
  for (let prev = ''; prev !== t;) {
    prev = t;
    t = t.replace(TRAILING_LABEL, '').trim();
  }
  // A translated title in brackets after the title as published (`Titel. [English title]`): the
  // other database may give either alone, so keep the part that stands first.
  const translated = /^(.{20,}?[.?!:])\s*\[([^\][]{20,})\]\.?$/s.exec(t);
  if (translated) t = translated[1]!.trim();
  return t.replace(/^\[(.*)\]\.?$/s, '$1');
}

/**
 * Title as compared: folded text without the notes databases add (`stripTitleAnnotations`) and
 * without the square brackets databases put around translated titles.
 */
export function titleKey(title: string): string {
  return foldText(stripTitleAnnotations(title));
}

/**
 * Title key without spaces: word splits differ between databases (`health care` / `healthcare`).
 * Joined, not `replace`d: V8 builds a global replace's result as a tree of one string per word,
 * and a run keeps this key for every record (issue 18: several times the memory of the flat text).
 */
export function compactTitle(key: string): string {
  return key.split(' ').join('');
}
