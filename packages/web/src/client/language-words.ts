/**
 * A record's language in words. Databases export codes (MEDLINE's LA and PubMed XML give ISO
 * 639-2 such as `eng` or the bibliographic `fre`, RIS exports often two-letter `en`), sometimes
 * several at once (`eng; fre`); others write the name (`English`). Codes become English names
 * through the browser's own language data; anything else is shown as exported.
 */
export function languageWords(value: string): string {
  const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  const name = (part: string): string => {
    const code = part.trim();
    if (!/^[a-z]{2,3}$/i.test(code)) return code;
    // MEDLINE's code for a language it could not tell, which the language data leaves unnamed.
    if (code.toLowerCase() === 'und') return 'Undetermined';
    try {
      return names.of(code.toLowerCase()) ?? code;
    } catch {
      return code;
    }
  };
  return value
    .split(/\s*[;,]\s*/)
    .filter((p) => p.trim() !== '')
    .map(name)
    .join(', ');
}
