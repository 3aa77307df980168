/**
 * Extraction confidence: how ready the bug is for mapping and a fix, not how sure we are it is
 * a bug (the noise filter said that). It rests on the two things an engineer needs: a way to
 * reproduce and a gap between what should happen and what does. Weights are chosen so that,
 * against the default gate of 0.7, two or more steps (listed or told) with a stated gap pass;
 * a single triggering action or a stack trace needs the gap plus an error or a named feature;
 * a failure with no expectation, or no reproduction path at all, waits for a person.
 */

export interface ConfidenceInput {
  steps: number;
  hasTrigger: boolean;
  hasExpected: boolean;
  hasActual: boolean;
  /** A sentence that sets what should be against what is ("X, but Y"). */
  hasContrast: boolean;
  errorMessages: number;
  stackTraces: number;
  hasFeature: boolean;
  /** Characters of customer prose (code and traces excluded). */
  proseLength: number;
}

export function extractionConfidence(input: ConfidenceInput): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0.2;
  if (input.steps >= 2) {
    score += 0.3;
    reasons.push(`${input.steps} steps to reproduce (+0.30)`);
  } else if (input.stackTraces > 0) {
    score += 0.25;
    reasons.push("no steps, but a stack trace shows where it fails (+0.25)");
  } else if (input.steps === 1 || input.hasTrigger) {
    score += 0.15;
    reasons.push("one triggering action, no full steps (+0.15)");
  } else reasons.push("no reproduction path");

  if (input.hasExpected && input.hasActual) {
    score += 0.25;
    reasons.push("expected and actual behaviour both stated (+0.25)");
  } else if (input.hasContrast) {
    score += 0.2;
    reasons.push("a sentence sets what should happen against what does (+0.20)");
  } else if (input.hasActual || input.errorMessages > 0) {
    score += 0.15;
    reasons.push("the failure is described but not what should happen (+0.15)");
  } else reasons.push("no gap between expected and actual behaviour");

  if (input.errorMessages > 0 || input.stackTraces > 0) {
    score += 0.1;
    reasons.push("error message or stack trace for the code map (+0.10)");
  }
  if (input.hasFeature) {
    score += 0.1;
    reasons.push("the affected feature is named (+0.10)");
  }
  if (input.proseLength < 60) {
    score -= 0.15;
    reasons.push("very little text (−0.15)");
  }
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, reasons };
}
