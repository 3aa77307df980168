import type { BugReport } from "../mapping/types";
import type { ExtractedBug } from "./schema";

/** The mapping engine's input from an extracted bug (the code map reads these fields). */
export function toBugReport(bug: ExtractedBug): BugReport {
  return {
    title: bug.title,
    description: bug.verbatim.text,
    stepsToReproduce: bug.stepsToReproduce.length
      ? bug.stepsToReproduce.map((s, i) => `${i + 1}. ${s}`).join("\n")
      : undefined,
    expected: bug.expected ?? undefined,
    actual: bug.actual ?? undefined,
    errorMessages: bug.errorMessages,
    stackTraces: bug.stackTraces,
    featureArea: bug.affectedFeature ?? undefined,
  };
}
