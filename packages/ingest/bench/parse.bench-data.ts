// Generated exports for the parse benchmark: realistic field mix, deterministic content.
const WORDS =
  'systematic review screening evidence assessment quality improvement leadership culture data patient involvement outcome trial cohort hospital primary care nurse intervention randomised effect'.split(
    ' ',
  );

function words(i: number, n: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(WORDS[(i * 7 + k * 13) % WORDS.length]!);
  return out.join(' ');
}

export function risRecord(i: number): string {
  return `TY  - JOUR
TI  - ${words(i, 12)} ${i}
AU  - Family${i % 997}, Given A.
AU  - Second${i % 89}, B. C.
AU  - Third${i % 13}, D.
PY  - ${1990 + (i % 35)}
JF  - Journal of ${words(i + 3, 3)}
VL  - ${i % 300}
IS  - ${i % 12}
SP  - ${100 + (i % 900)}
EP  - ${(100 + (i % 900) + 9) % 100}
DO  - 10.${1000 + (i % 9000)}/bench.${i}
SN  - 0306-4530
KW  - ${words(i, 2)}
KW  - ${words(i + 1, 2)}
AB  - ${words(i, 60)}
ER  - 
`;
}

export function medlineRecord(i: number): string {
  const ab = words(i, 60);
  const wrapped = ab
    .match(/.{1,80}(\s|$)/g)!
    .map((l, k) => (k === 0 ? `AB  - ${l.trim()}` : `      ${l.trim()}`))
    .join('\n');
  return `PMID- ${10000000 + i}
OWN - NLM
DP  - ${1990 + (i % 35)} Mar
TI  - ${words(i, 12)} ${i}
PG  - ${100 + (i % 900)}-${(100 + (i % 900) + 9) % 100}
LID - 10.${1000 + (i % 9000)}/bench.${i} [doi]
${wrapped}
FAU - Family${i % 997}, Given A
AU  - Family${i % 997} GA
FAU - Second${i % 89}, B C
AU  - Second${i % 89} BC
LA  - eng
PT  - Journal Article
TA  - J ${words(i + 3, 2)}
JT  - Journal of ${words(i + 3, 3)}
MH  - Humans
MH  - *${words(i, 2)}

`;
}

export function wosRecord(i: number): string {
  const ab = words(i, 60)
    .match(/.{1,70}(\s|$)/g)!
    .map((l, k) => (k === 0 ? `AB ${l.trim()}` : `   ${l.trim()}`))
    .join('\n');
  return `PT J
AU Family${i % 997}, GA
   Second${i % 89}, BC
AF Family${i % 997}, Given A.
   Second${i % 89}, B. C.
TI ${words(i, 12)} ${i}
SO JOURNAL OF ${words(i + 3, 3).toUpperCase()}
DT Article
DE ${words(i, 2)}; ${words(i + 1, 2)}
${ab}
PY ${1990 + (i % 35)}
VL ${i % 300}
BP ${100 + (i % 900)}
EP ${109 + (i % 900)}
DI 10.${1000 + (i % 9000)}/bench.${i}
UT WOS:${String(i).padStart(15, '0')}
ER

`;
}

export const GENERATORS = {
  ris: { header: '', record: risRecord },
  medline: { header: '', record: medlineRecord },
  'wos-plain': { header: 'FN Clarivate Analytics Web of Science\nVR 1.0\n', record: wosRecord },
} as const;
