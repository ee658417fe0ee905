// Text folding shared by every matching key. Comparison only: never shown to users.

const GREEK: Record<string, string> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'epsilon',
  ζ: 'zeta',
  η: 'eta',
  θ: 'theta',
  ι: 'iota',
  κ: 'kappa',
  λ: 'lambda',
  μ: 'mu',
  ν: 'nu',
  ξ: 'xi',
  ο: 'omicron',
  π: 'pi',
  ρ: 'rho',
  σ: 'sigma',
  ς: 'sigma',
  τ: 'tau',
  υ: 'upsilon',
  φ: 'phi',
  ϕ: 'phi',
  χ: 'chi',
  ψ: 'psi',
  ω: 'omega',
};

// Letters NFKD does not decompose into ASCII.
const LIGATURES: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '-',
  mdash: '-',
  hyphen: '-',
  minus: '-',
  plusmn: '±',
  times: 'x',
  deg: '°',
  micro: 'µ',
  reg: '',
  trade: '',
  copy: '',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  hellip: '...',
  ge: '≥',
  le: '≤',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  pi: 'π',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  chi: 'χ',
  omega: 'ω',
  theta: 'θ',
};

/** Decodes HTML/XML character references and drops tags (`<i>`, `<sup>`, ...). */
export function stripMarkup(text: string): string {
  return text
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
      if (body[0] === '#') {
        const code =
          body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
    });
}

/**
 * Lower case ASCII words separated by single spaces: markup, diacritics, Greek letters
 * (spelled out, so `β-lactam` = `beta-lactam`) and punctuation folded away.
 */
export function foldText(text: string): string {
  const decoded = stripMarkup(text).normalize('NFKD').toLowerCase();
  let out = '';
  for (const ch of decoded) {
    const code = ch.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) out += ch;
    else if (code >= 0x300 && code <= 0x36f)
      continue; // combining marks left by NFKD
    else if (GREEK[ch] !== undefined) out += ` ${GREEK[ch]} `;
    else if (LIGATURES[ch] !== undefined) out += LIGATURES[ch];
    else if (ch === '&') out += ' and ';
    else if (ch === "'" || ch === '’' || ch === '‘')
      continue; // Alzheimer's = Alzheimers
    else out += ' ';
  }
  return out.replace(/\s+/g, ' ').trim();
}
