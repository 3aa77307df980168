import { describe, expect, it } from "vitest";
import type { Gates, LocationDraft } from "@/lib/pipeline/jobs/decide";
import { editedReport, mappingHoldReason, remapEdited } from "@/lib/pipeline/jobs/remap-bug";

/** What the re-map after an edit reads and says, without a database (the job: integration test). */

const edited = {
  title: "Search with quotes returns nothing",
  steps: ["Type a quoted phrase", "Press enter"],
  expected: "Results",
  actual: "Nothing",
  feature: "search",
  impact: null,
  error_messages: ["TypeError: x is undefined"],
  stack_traces: [],
};

const top: LocationDraft = {
  repo: "a/b",
  path: "src/search/query.ts",
  functionName: "parseSearchQuery",
  startLine: 1,
  endLine: 4,
  confidence: 0.5,
  explanation: "",
  rank: 1,
};

describe("re-mapping an edited bug", () => {
  it("reads the person's fields and the extracted errors, numbered steps, no verbatim text", () => {
    expect(editedReport(edited)).toEqual({
      title: "Search with quotes returns nothing",
      description: undefined,
      stepsToReproduce: "1. Type a quoted phrase\n2. Press enter",
      expected: "Results",
      actual: "Nothing",
      errorMessages: ["TypeError: x is undefined"],
      stackTraces: [],
      featureArea: "search",
    });
  });

  it("maps nothing without an index", () => {
    expect(remapEdited(edited, null)).toEqual({ locations: [], mappingConfidence: null });
  });

  it("says the new figures against the gate, with the best guess", () => {
    // the wording, at gates of its own (the default mapping gate follows the measured curve)
    const DEFAULT_GATES: Gates = { extraction: 0.7, mapping: 0.7 };
    expect(mappingHoldReason(0.42, [top], DEFAULT_GATES, true)).toBe(
      "After the edit, mapping confidence 0.42 is below the workspace's gate 0.70; best guess src/search/query.ts (parseSearchQuery).",
    );
    expect(mappingHoldReason(0.9, [top], DEFAULT_GATES, true)).toMatch(
      /^After the edit, mapping confidence 0.90 reaches the workspace's gate 0.70; .* Accept to make it a Mapped Bug\.$/,
    );
    expect(mappingHoldReason(null, [], DEFAULT_GATES, false)).toMatch(/No repository is indexed/);
    expect(mappingHoldReason(null, [], DEFAULT_GATES, true)).toMatch(/no function/);
  });
});
