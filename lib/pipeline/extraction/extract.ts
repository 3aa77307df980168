import { normalizeText } from "../tickets/text";
import { extractionConfidence } from "./confidence";
import { findErrorMessages, findStackTraces } from "./errors";
import { affectedFeature, customerImpact } from "./feature";
import { type ExtractedBug, extractedBugSchema } from "./schema";
import {
  contrastSentence,
  labelledSections,
  listItems,
  narrativeSteps,
  proseExpectedActual,
  proseSteps,
  trigger,
} from "./sections";
import { severityOf } from "./severity";
import { clean, sentences, withoutCodeBlocks } from "./text-tools";
import { titleOf } from "./title";

export interface ExtractionInput {
  subject: string;
  /** The customer's kept turns as the noise filter joined them. */
  customerText: string;
  /** ISO 639-1 of the customer's text, or null. */
  language: string | null;
}

/** Text with stack traces removed, so prose rules do not read frames as sentences. */
function proseWithout(text: string, traces: string[]): string {
  let prose = text;
  for (const trace of traces) prose = prose.replace(trace, "\n");
  return withoutCodeBlocks(prose);
}

/**
 * Deterministic extraction of a structured bug from the customer's words. Works in any language
 * (verbatim text and language code always kept); labels and phrasing are understood in English,
 * Spanish, French, German and Portuguese. The result is validated with `extractedBugSchema`.
 */
export function extractBug(input: ExtractionInput): ExtractedBug {
  const text = normalizeText(input.customerText);
  const stackTraces = findStackTraces(text).slice(0, 10);
  const errorMessages = findErrorMessages(text);
  const prose = proseWithout(text, stackTraces);
  const sections = labelledSections(text);

  const listed = sections.steps ? listItems(sections.steps) : proseSteps(prose);
  const told = listed.length >= 2 ? [] : narrativeSteps(prose);
  const steps = (listed.length >= 2 || told.length < 2 ? listed : told)
    .map((s) => s.slice(0, 1000))
    .slice(0, 30);
  const stated = proseExpectedActual(prose);
  const expected = sections.expected ?? stated.expected;
  const failureSentence =
    sentences(prose).find((s) =>
      /crash|error|fail|blank|broken|does ?n[o']t work|not working|nothing happens|kaputt|freez|stuck|500|no funciona|ne fonctionne|funktioniert nicht|não funciona|stürzt|plante|trava|falla|erreur|fehler|erro/iu.test(
        s,
      ),
    ) ?? null;
  const contrast = contrastSentence(prose);
  const actual = sections.actual ?? stated.actual ?? failureSentence ?? contrast;
  const feature = affectedFeature(prose, sections.feature);
  const impact = customerImpact(prose, sections.impact);
  const severity = severityOf(`${input.subject}\n${text}`, stackTraces.length > 0);
  const firstSentence =
    sentences(prose)
      .map(clean)
      .find((s) => s.length > 10) ?? null;

  const { score, reasons } = extractionConfidence({
    steps: steps.length,
    hasTrigger: trigger(prose) !== null,
    hasExpected: expected !== null,
    hasActual: actual !== null,
    hasContrast: contrast !== null,
    errorMessages: errorMessages.length,
    stackTraces: stackTraces.length,
    hasFeature: feature !== null,
    proseLength: prose.replace(/\s+/g, " ").trim().length,
  });

  return extractedBugSchema.parse({
    title: titleOf({ subject: input.subject, actual, errorMessages, firstSentence }),
    severity,
    stepsToReproduce: steps,
    expected: expected ? expected.slice(0, 2000) : null,
    actual: actual ? actual.slice(0, 2000) : null,
    affectedFeature: feature,
    customerImpact: impact,
    errorMessages,
    stackTraces: stackTraces.map((t) => t.slice(0, 20_000)),
    verbatim: { text: input.customerText, language: input.language },
    confidence: score,
    confidenceReasons: reasons,
  });
}
