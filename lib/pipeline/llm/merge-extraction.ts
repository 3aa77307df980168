import { type ExtractedBug, extractedBugSchema } from "../extraction";
import { extractionConfidence } from "../extraction/confidence";
import type { ExtractionAnswer } from "./answers";

/**
 * Folds a model's extraction into the offline one so that having the option is never worse:
 * - the offline fields stand; the model only fills what the rules left empty (steps when fewer
 *   than two were found, expected, actual, feature, impact, and severity when no cue decided);
 * - a filled field must be grounded: most of its words occur in the (redacted) text the model
 *   was shown, so an invented step or behaviour is dropped rather than trusted;
 * - verbatim text, error messages and stack traces always come from the offline path (the
 *   model saw redacted text; the code map needs the customer's exact words);
 * - confidence is recomputed with the same rules and never drops below the offline value.
 */
export function mergeExtraction(
  offline: ExtractedBug,
  answer: ExtractionAnswer,
  shownText: string,
): { bug: ExtractedBug; filled: string[] } {
  const grounded = groundedIn(shownText);
  const filled: string[] = [];
  const pick = (name: string, current: string | null, proposed: string | null | undefined) => {
    if (current !== null || !proposed || !grounded(proposed)) return current;
    filled.push(name);
    return proposed;
  };

  let steps = offline.stepsToReproduce;
  const proposedSteps = answer.stepsToReproduce.filter(grounded);
  if (steps.length < 2 && proposedSteps.length >= 2) {
    steps = proposedSteps;
    filled.push("steps");
  }
  const expected = pick("expected", offline.expected, answer.expected);
  const actual = pick("actual", offline.actual, answer.actual);
  const affectedFeature = pick("feature", offline.affectedFeature, answer.affectedFeature);
  const customerImpact = pick("impact", offline.customerImpact, answer.customerImpact);

  let severity = offline.severity;
  // The rules' default says so in its cue; only then is the model's reading worth more.
  if (offline.severity.cue.startsWith("no severity cue") && answer.severity) {
    if (answer.severity !== offline.severity.level) filled.push("severity");
    severity = { level: answer.severity, cue: "the model's reading; the customer used no cue" };
  }

  const said = (fragment: string) => offline.confidenceReasons.some((r) => r.includes(fragment));
  const { score, reasons } = extractionConfidence({
    steps: steps.length,
    hasTrigger: said("one triggering action"),
    hasExpected: expected !== null,
    hasActual: actual !== null,
    hasContrast: said("sets what should happen against"),
    errorMessages: offline.errorMessages.length,
    stackTraces: offline.stackTraces.length,
    hasFeature: affectedFeature !== null,
    proseLength: said("very little text") ? 0 : 60,
  });
  const raised = filled.length > 0 && score > offline.confidence;
  const bug = extractedBugSchema.parse({
    ...offline,
    severity,
    stepsToReproduce: steps,
    expected,
    actual,
    affectedFeature,
    customerImpact,
    confidence: raised ? score : offline.confidence,
    confidenceReasons: raised
      ? [...reasons, `filled by the LLM from the customer's words: ${filled.join(", ")}`]
      : offline.confidenceReasons,
  });
  return { bug, filled };
}

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? [];

/** At least 60% of a phrase's words of 4+ letters (and at least one) occur in `text`. */
export function groundedIn(text: string): (phrase: string) => boolean {
  const vocabulary = new Set(words(text));
  return (phrase) => {
    const w = words(phrase);
    if (w.length === 0) return false;
    return w.filter((x) => vocabulary.has(x)).length / w.length >= 0.6;
  };
}
