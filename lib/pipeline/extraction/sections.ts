import { clean, sentences, withoutCodeBlocks, words } from "./text-tools";

/**
 * Steps to reproduce and expected/actual behaviour, read two ways: from labelled sections
 * ("Steps to reproduce:", "Expected:", "Actual:" and their Spanish, French, German and
 * Portuguese forms), and, when a ticket has no labels, from how people write it in prose
 * (numbered lists, "first… then…", "I expected X but Y", "X should Y but Z", "instead of").
 */

export type SectionName = "steps" | "expected" | "actual" | "feature" | "impact";

const LABELS: Record<SectionName, string> = {
  steps:
    "steps to reproduce|steps to repro|repro(?:duction)? steps|how to reproduce|to reproduce|steps|pasos para reproducir(?:lo)?|pasos|étapes pour reproduire|étapes de reproduction|étapes|schritte zum reproduzieren|schritte zur reproduktion|schritte|passos para reproduzir|passos",
  expected:
    "expected(?: behaviou?r| result)?|what (?:i|we) expected|comportamiento esperado|resultado esperado|esperado|comportement attendu|résultat attendu|attendu|erwartetes (?:verhalten|ergebnis)|erwartet|comportamento esperado",
  actual:
    "actual(?: behaviou?r| result)?|what (?:actually )?happens|observed(?: behaviou?r)?|current behaviou?r|comportamiento actual|resultado actual|lo que pasa|comportement (?:actuel|observé)|résultat (?:actuel|obtenu)|tatsächliches (?:verhalten|ergebnis)|aktuelles verhalten|ist-zustand|comportamento atual|resultado atual|o que acontece",
  feature:
    "feature|area|component|module|funcionalidad|sección|fonctionnalité|funktion|bereich|funcionalidade",
  impact: "(?:business |customer )?impact|impacto|auswirkungen?",
};

const LABEL_LINE = new RegExp(
  `^\\s*(?:#+\\s*|\\*\\*|__)?(${Object.values(LABELS).join("|")})(?:\\*\\*|__)?\\s*[:：](?:\\*\\*)?\\s*(.*)$`,
  "iu",
);

function sectionOf(label: string): SectionName {
  for (const [name, source] of Object.entries(LABELS) as Array<[SectionName, string]>) {
    if (new RegExp(`^(?:${source})$`, "iu").test(label.trim())) return name;
  }
  return "steps";
}

/** Labelled sections: each label's same-line text and the lines below it, up to the next label. */
export function labelledSections(text: string): Partial<Record<SectionName, string>> {
  const out: Partial<Record<SectionName, string>> = {};
  let current: SectionName | null = null;
  let buffer: string[] = [];
  let inline = false;
  const flush = () => {
    if (current && out[current] === undefined) {
      const body = buffer.join("\n").trim();
      if (body) out[current] = body;
    }
  };
  for (const line of withoutCodeBlocks(text).split("\n")) {
    const match = LABEL_LINE.exec(line);
    if (match) {
      flush();
      current = sectionOf(match[1]!);
      buffer = match[2] ? [match[2]] : [];
      inline = Boolean(match[2]);
      continue;
    }
    // "Expected: X" on one line owns only that line (and a list right under it); the next
    // unlabelled sentence is the customer talking again, not more of the section.
    if (current && inline && line.trim() !== "" && !/^\s+\S|^\s*(?:\d+[.)]|[-*•])\s/.test(line)) {
      flush();
      current = null;
      buffer = [];
      continue;
    }
    if (current) {
      // A blank line after prose ends a section; inside a list it does not.
      if (
        line.trim() === "" &&
        buffer.length > 0 &&
        !/^\s*(?:\d+[.)]|[-*•])\s/.test(buffer.at(-1)!)
      ) {
        flush();
        current = null;
        buffer = [];
      } else if (line.trim() !== "") buffer.push(line);
    }
  }
  flush();
  return out;
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•])\s+(.+)$/;
const NUMBERED_ITEM = /^\s*\d+[.)]\s+(.+)$/;

/** Items of a list (numbered or bulleted), or the section's sentences when it has no list. */
export function listItems(section: string): string[] {
  return listOrSentences(section)
    .map((s) => s.replace(/(?<![.。])[.。]+$/u, ""))
    .filter(Boolean);
}

function listOrSentences(section: string): string[] {
  const items = section
    .split("\n")
    .map((l) => LIST_ITEM.exec(l)?.[1])
    .filter((s): s is string => Boolean(s))
    .map(clean);
  return items.length > 0 ? items : sentences(section).map(clean).filter(Boolean);
}

const SEQUENCE =
  "first(?:ly)?|then|after that|afterwards|next|finally|and then|primero|luego|después|entonces|d'abord|puis|ensuite|après|enfin|zuerst|dann|danach|anschließend|schließlich|primeiro|depois|então|em seguida";

/**
 * Steps without a label: a numbered list of two or more items, else a sentence (or two) that
 * sequences actions ("I open X, then click Y, then Z") split at its sequence words.
 */
export function proseSteps(text: string): string[] {
  const prose = withoutCodeBlocks(text);
  const numbered = prose
    .split("\n")
    .map((l) => NUMBERED_ITEM.exec(l)?.[1])
    .filter((s): s is string => Boolean(s));
  if (numbered.length >= 2)
    return listItems(numbered.map((n) => `1. ${n}`).join("\n")).slice(0, 30);
  const marker = words(SEQUENCE, "giu");
  for (const sentence of sentences(prose)) {
    const markers = sentence.match(marker)?.length ?? 0;
    if (markers >= 1 && sentence.split(/,|;/).length + markers >= 3) {
      const steps = sentence
        .split(
          new RegExp(
            `(?:,|;|\\.)?\\s*(?:and\\s+|y\\s+|et\\s+|und\\s+|e\\s+)?${marker.source}\\s*,?`,
            "iu",
          ),
        )
        .flatMap((part) =>
          part.split(
            /,\s*(?:and\s+)?(?=(?:i|we|click|open|go|select|press|choose|type|enter)\b)/iu,
          ),
        )
        .map((s) => clean(s).replace(/(?<![.。])[.。]+$/u, ""))
        .filter((s) => s.length > 2);
      if (steps.length >= 2) return steps.slice(0, 30);
    }
  }
  return [];
}

// A sentence in which the customer says what they did: "Yesterday I ordered 24 jars with the
// BULK15 code", "Typing "creme brulee" in the search box gives No results".
const ACTION = new RegExp(
  [
    "(?<![\\p{L}])(?:i|we)\\s+(?:(?:then|also|just|first|only)\\s+)?(?:click(?:ed)?|open(?:ed)?|order(?:ed)?|bought|buy|add(?:ed)?|type[ds]?|enter(?:ed)?|select(?:ed)?|chose|choose|download(?:ed)?|upload(?:ed)?|sign(?:ed)? in|log(?:ged)? in|went to|go to|tried|try|placed?|paid|pay|appl(?:y|ied)|used?|set|changed?|saved?|import(?:ed)?|export(?:ed)?|press(?:ed)?|submit(?:ted)?|search(?:ed)?|looked for|switch(?:ed)?|connect(?:ed)?|install(?:ed)?|updat(?:e|ed)|delet(?:e|ed)|creat(?:e|ed)|cancel(?:led|ed)?|pick(?:ed)?)(?![\\p{L}])",
    "^(?:typing|clicking|opening|adding|entering|selecting|searching for|uploading|downloading|saving|importing|exporting)\\s",
    "(?<![\\p{L}])(?:hago clic|abro|compré|pedí|añadí|escribo|escribí|intenté|subo|descargo|guardo|pulso|elijo)(?![\\p{L}])",
    "(?<![\\p{L}])(?:je clique|j'ouvre|j'ai (?:acheté|ajouté|tapé|essayé|cliqué|commandé|importé|exporté))(?![\\p{L}])",
    "(?<![\\p{L}])ich (?:klicke|öffne|habe|gebe|wähle|lade|speichere|suche)(?![\\p{L}])",
    "(?<![\\p{L}])(?:clico|abro|comprei|adicionei|digitei|tentei|cliquei|salvei|escolho)(?![\\p{L}])",
  ].join("|"),
  "iu",
);

/**
 * Steps told as a story: the sentences in which the customer says what they did, in order, when
 * there are two or more. Verbatim, so nothing is invented; fewer than two is a trigger at most.
 */
export function narrativeSteps(text: string): string[] {
  return sentences(withoutCodeBlocks(text))
    .filter((s) => s.length <= 400 && ACTION.test(s))
    .map((s) => clean(s).replace(/(?<![.。])[.。]+$/u, ""))
    .filter(Boolean)
    .slice(0, 10);
}

// "15% of $83.76 is $12.56, but checkout only took $12.48 off": what should have been against
// what was, in one sentence. Weaker than "I expected … but …", so it only counts as a contrast.
const CONTRAST =
  /^(?!(?:but|pero|mais|aber|mas)\b)(.{12,300}?),?\s+(?:but|although|though|whereas|pero|aunque|mais|alors que|aber|obwohl|mas|embora)\s+(.{8,300})$/iu;

/** The first sentence that sets what should be against what is, verbatim, or null. */
export function contrastSentence(text: string): string | null {
  for (const sentence of sentences(withoutCodeBlocks(text))) {
    if (sentence.length <= 600 && !sentence.endsWith("?") && CONTRAST.test(sentence))
      return sentence;
  }
  return null;
}

/** "When I click Export on the Reports page, …": the one action that triggers the problem. */
export function trigger(text: string): string | null {
  const match =
    /(?<![\p{L}])(?:when(?:ever)? (?:i|we|you|a user)|cuando|quand|lorsque|wenn ich|sobald ich|quando)\s+([^,.;\n]{4,160})/iu.exec(
      withoutCodeBlocks(text),
    );
  return match ? clean(match[1]!) : null;
}

const EXPECTED_ACTUAL: RegExp[] = [
  // "I expected X, but Y" / "esperaba X pero Y" / "je m'attendais à X mais Y" …
  /(?:i |we )?(?:expected|was expecting|esperaba|je m'attendais à|ich habe erwartet, dass|ich erwartete|eu esperava|esperava)\s+(.{3,300}?)[,;]?\s+(?:but|however|instead|pero|mais|aber|doch|mas)\s+(.{3,300}?)(?:[.!?\n]|$)/iu,
  // "X should Y but Z" / "debería … pero …" / "devrait … mais …" / "sollte … aber …" / "deveria … mas …"
  /((?:[^.!?\n,;]{0,120}?)\b(?:should|debería|devrait|sollte|deveria)\s+[^.!?\n]{2,200}?)[,;]?\s+(?:but|however|instead|pero|mais|aber|doch|mas)\s+(.{3,300}?)(?:[.!?\n]|$)/iu,
];

const INSTEAD_OF =
  /(?:instead of|rather than|en lugar de|en vez de|au lieu de|statt|anstatt|em vez de)\s+([^,.;\n]{3,200}),\s*([^.!?\n]{3,300})/iu;

/** Expected and actual behaviour stated in prose, when the ticket has no labels for them. */
export function proseExpectedActual(text: string): {
  expected: string | null;
  actual: string | null;
} {
  // One line at a time, at most 1,000 characters of it: these patterns scan clauses, and
  // bounding their input keeps a pasted wall of text from costing seconds.
  const lines = withoutCodeBlocks(text)
    .split("\n")
    .map((line) => line.slice(0, 1000));
  for (const pattern of EXPECTED_ACTUAL) {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return { expected: clean(match[1]!), actual: clean(match[2]!) };
    }
  }
  for (const line of lines) {
    const instead = INSTEAD_OF.exec(line);
    if (instead) return { expected: clean(instead[1]!), actual: clean(instead[2]!) };
  }
  return { expected: null, actual: null };
}
