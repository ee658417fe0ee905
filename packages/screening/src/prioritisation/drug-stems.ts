/**
 * Drug-class terms from the common stems of International Nonproprietary Names (WHO, "The use of
 * stems in the selection of INN for pharmaceutical substances", 2018). A drug's INN ends in the
 * stem of its class: enalapril and captopril are "-pril" ACE inhibitors, losartan a "-sartan"
 * angiotensin II antagonist. To a bag of words every drug name is an unrelated rare word, so a
 * model that has learnt from three ACE inhibitor trials knows nothing of the fourth drug; the class
 * term lets it generalise across the class, and tells comparator classes apart.
 *
 * Only suffix stems are listed (infix stems such as -estr- also match ordinary words), and a stem
 * counts only when at least two letters precede it (lo-sartan), so short English words ("april") never match.
 * Each entry maps the endings of one class to the class's term.
 */
const CLASSES: readonly (readonly [term: string, endings: readonly string[]])[] = [
  ['-pril', ['pril', 'prilat']], // angiotensin-converting enzyme inhibitors
  ['-sartan', ['sartan']], // angiotensin II receptor antagonists
  ['-olol', ['olol', 'alol', 'ilol']], // beta-adrenoreceptor antagonists
  ['-dipine', ['dipine']], // dihydropyridine calcium channel blockers
  ['-pamil', ['pamil']], // verapamil-type calcium channel blockers
  ['-tiazem', ['tiazem']], // diltiazem-type calcium channel blockers
  ['-vastatin', ['vastatin']], // HMG-CoA reductase inhibitors
  ['-gliptin', ['gliptin']], // dipeptidyl peptidase-4 inhibitors
  ['-glitazone', ['glitazone']], // PPAR-gamma agonists
  ['-gliflozin', ['gliflozin']], // SGLT2 inhibitors
  ['-mab', ['mab']], // monoclonal antibodies
  ['-tinib', ['tinib']], // tyrosine kinase inhibitors
  ['-cillin', ['cillin']], // penicillins
  ['-oxacin', ['oxacin']], // quinolone antibacterials
  ['-mycin', ['mycin']], // Streptomyces antibiotics
  ['-cycline', ['cycline']], // tetracyclines
  ['-conazole', ['conazole']], // azole antifungals
  ['-prazole', ['prazole']], // proton pump inhibitors
  ['-tidine', ['tidine']], // H2-receptor antagonists
  ['-setron', ['setron']], // 5-HT3 antagonists
  ['-triptan', ['triptan']], // 5-HT1 agonists
  ['-oxetine', ['oxetine']], // fluoxetine-type reuptake inhibitors
  ['-faxine', ['faxine']], // venlafaxine-type reuptake inhibitors
  ['-pramine', ['pramine']], // imipramine-type tricyclics
  ['-azepam', ['azepam', 'azolam']], // benzodiazepines
  ['-apine', ['apine']], // tricyclic antipsychotics (clozapine, olanzapine)
  ['-peridone', ['peridone']], // risperidone-type antipsychotics
  ['-peridol', ['peridol']], // haloperidol-type antipsychotics
  ['-piprazole', ['piprazole']], // aripiprazole-type antipsychotics
  ['-spirone', ['spirone']], // buspirone-type anxiolytics
  ['-profen', ['profen']], // ibuprofen-type anti-inflammatories
  ['-fenac', ['fenac']], // diclofenac-type anti-inflammatories
  ['-icam', ['icam']], // oxicam anti-inflammatories
  ['-coxib', ['coxib']], // COX-2 inhibitors
  ['-dronate', ['dronate', 'dronic']], // bisphosphonates
  ['-parin', ['parin']], // heparins
  ['-xaban', ['xaban']], // factor Xa inhibitors
  ['-gatran', ['gatran']], // thrombin inhibitors
  ['-grel', ['grel', 'grelor']], // platelet aggregation inhibitors
  ['-fibrate', ['fibrate']], // clofibrate-type lipid modifiers
  ['-thiazide', ['thiazide', 'tizide']], // thiazide diuretics
  ['-semide', ['semide']], // furosemide-type diuretics
  ['-terol', ['terol']], // beta-2 agonists
  ['-lukast', ['lukast']], // leukotriene receptor antagonists
  ['-astine', ['astine']], // antihistamines
  ['-atadine', ['atadine']], // antihistamines (loratadine type)
  ['-izine', ['izine', 'yzine']], // antihistamines (cyclizine type)
  ['-caine', ['caine']], // local anaesthetics
  ['-platin', ['platin']], // platinum antineoplastics
  ['-rubicin', ['rubicin']], // anthracyclines
  ['-taxel', ['taxel']], // taxanes
  ['-relin', ['relin']], // hypothalamic releasing hormone analogues
  ['-vir', ['vir']], // antivirals
];

const MIN_ROOT = 2;

/**
 * Words that end in a stem without belonging to its class (found by listing every match in the
 * labelled sets): cholesterol is no beta-2 agonist, histidine no H2 antagonist, vinblastine no
 * antihistamine.
 */
const NOT_DRUGS = new Set(['cholesterol', 'histidine', 'cytidine', 'vinblastine']);

/** Endings, longest first, so "prilat" wins over "pril" where both would match. */
const ENDINGS: readonly (readonly [ending: string, term: string])[] = CLASSES.flatMap(([term, endings]) =>
  endings.map((e) => [e, term] as const),
).sort((a, b) => b[0].length - a[0].length);

/** The class term of a lower-case word ("enalapril" -> "-pril"), or null when it ends in no listed stem. */
export function drugClassOf(word: string): string | null {
  if (NOT_DRUGS.has(word)) return null;
  for (const [ending, term] of ENDINGS) {
    if (word.length >= ending.length + MIN_ROOT && word.endsWith(ending)) return term;
  }
  return null;
}

/** Every class term, in list order (documentation and tests). */
export const DRUG_CLASS_TERMS: readonly string[] = CLASSES.map(([term]) => term);
