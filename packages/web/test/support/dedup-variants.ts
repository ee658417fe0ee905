const TITLE =
  'Antimicrobial efficacy of copper surfaces against spores and vegetative cells of Clostridium difficile';
const AUTHORS = [
  ['Wheeldon LJ', 'Worthington T'],
  ['Wheeldon, L. J.', 'Worthington, T.'],
  ['WHEELDON LJ', 'WORTHINGTON T'],
];

/**
 * `count` exports of one report as databases vary them (author forms, title case, journal
 * abbreviation, short end page). Report `a` carries a DOI; report `b` is the same title in
 * another volume and year, which the rule cannot tell apart from `a` on its own.
 */
export function ris(report: 'a' | 'b', count: number, offset = 0): string {
  const out: string[] = [];
  for (let k = offset; k < offset + count; k++) {
    const lines = ['TY  - JOUR', ...AUTHORS[k % 3]!.map((a) => `AU  - ${a}`)];
    lines.push(`TI  - ${k % 2 ? TITLE.toUpperCase() : TITLE}`);
    lines.push(`JO  - ${k % 4 < 2 ? 'J Antimicrob Chemother' : 'Journal of Antimicrobial Chemotherapy'}`);
    if (report === 'a')
      lines.push(
        'PY  - 2008',
        'VL  - 62',
        'SP  - 522',
        `EP  - ${k % 2 ? '5' : '525'}`,
        'DO  - 10.1093/jac/dkn219',
      );
    else lines.push('PY  - 2009', 'VL  - 63', 'SP  - 100', `EP  - ${k % 2 ? '4' : '104'}`);
    out.push([...lines, 'ER  - ', ''].join('\n'));
  }
  return out.join('\n');
}

/**
 * The same title by the same authors in `count` volumes and years, no DOI: each pair may or may
 * not be one report (a series, or one report exported with wrong numbering).
 */
export function risVolumes(count: number): string {
  const out: string[] = [];
  for (let k = 0; k < count; k++)
    out.push(
      [
        'TY  - JOUR',
        'AU  - Wheeldon LJ',
        'AU  - Worthington T',
        `TI  - ${TITLE}`,
        'JO  - Journal of Antimicrobial Chemotherapy',
        `PY  - ${2000 + 2 * k}`,
        `VL  - ${20 + 3 * k}`,
        `SP  - ${100 + 50 * k}`,
        `EP  - ${104 + 50 * k}`,
        'ER  - ',
        '',
      ].join('\n'),
    );
  return out.join('\n');
}
