/**
 * The stand-ins' "model": deterministic answers computed from the prompt with simple rules, so
 * tests can predict them. Extraction picks the customer's own sentences by cue words (it never
 * invents text); reranking orders candidates by word overlap with the report. Prompts are the
 * ones lib/pipeline/llm/prompts.ts builds: the `TASK:` line of the system prompt says which.
 */

const between = (text: string, open: string, close: string) => {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start + open.length, end).trim() : "";
};

const sentencesOf = (text: string) =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 3);

const ACTION =
  /\b(open(?:ed)?|click(?:ed)?|go|went|add(?:ed)?|enter(?:ed)?|typ(?:e|ed)|select(?:ed)?|cho(?:o)?se|press(?:ed)?|upload(?:ed)?|log(?:ged)? ?in|sign(?:ed)? in|submit(?:ted)?|sav(?:e|ed)|appl(?:y|ied)|ordered|checked out)\b/i;
const EXPECTED = /\b(expect(?:ed)?|should|supposed to)\b/i;
const ACTUAL =
  /\b(but|instead|only|error|crash(?:es|ed)?|fail(?:s|ed)?|shows?|blank|wrong|nothing happens)\b/i;
const IMPACT =
  /\b(customers?|can(?:no|')t|losing|lost|every (?:day|order)|all (?:our )?users|blocked)\b/i;
const FEATURE =
  /\bthe ([A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?) (page|screen|tab|button|form|dialog)\b/i;

export interface StandInExtraction {
  title: string | null;
  severity: "critical" | "high" | "medium" | "low";
  stepsToReproduce: string[];
  expected: string | null;
  actual: string | null;
  affectedFeature: string | null;
  customerImpact: string | null;
}

export function answerExtraction(prompt: string): StandInExtraction {
  const subject = /^Subject: (.*)$/m.exec(prompt)?.[1]?.trim() ?? "";
  const ticket = between(prompt, "<ticket>", "</ticket>");
  const sentences = sentencesOf(ticket);
  const expected = sentences.find((s) => EXPECTED.test(s)) ?? null;
  const actual = sentences.find((s) => s !== expected && ACTUAL.test(s)) ?? null;
  const feature = FEATURE.exec(ticket);
  const all = `${subject}\n${ticket}`;
  const severity = /data loss|outage|all users|security/i.test(all)
    ? "critical"
    : /crash|cannot|can't|blocked|urgent|\b5\d\d\b/i.test(all)
      ? "high"
      : /typo|cosmetic|minor/i.test(all)
        ? "low"
        : "medium";
  return {
    title: subject || (sentences[0]?.slice(0, 100) ?? null),
    severity,
    stepsToReproduce: sentences
      .filter((s) => ACTION.test(s) && s !== expected && s !== actual)
      .slice(0, 6),
    expected,
    actual,
    affectedFeature: feature ? feature[0] : null,
    customerImpact: sentences.find((s) => IMPACT.test(s) && s !== actual && s !== expected) ?? null,
  };
}

const wordsOf = (s: string) =>
  new Set(
    s
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .match(/[a-z0-9]{3,}/g) ?? [],
  );

export function answerRerank(prompt: string): { ranking: Array<{ id: string; reason: string }> } {
  const report = wordsOf(between(prompt, "<report>", "</report>"));
  const candidates = between(prompt, "<candidates>", "</candidates>")
    .split("\n")
    .flatMap((line, order) => {
      try {
        const c = JSON.parse(line) as { id: string; path: string; function: string | null };
        const shared = [...wordsOf(`${c.path} ${c.function ?? ""}`)].filter((w) => report.has(w));
        return [{ id: c.id, shared, order }];
      } catch {
        return [];
      }
    });
  candidates.sort((a, b) => b.shared.length - a.shared.length || a.order - b.order);
  return {
    ranking: candidates.map((c) => ({
      id: c.id,
      reason: c.shared.length
        ? `shares words with the report: ${c.shared.join(", ")}`
        : "no words in common with the report",
    })),
  };
}

/** Rough token count (4 characters a token), for the usage fields. */
export const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
