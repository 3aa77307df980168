import { describe, expect, it } from "vitest";
import { extractBug } from "@/lib/pipeline/extraction";
import { groundedIn, mergeExtraction } from "@/lib/pipeline/llm/merge-extraction";
import { EXPORT_TICKET } from "./fixtures";

const offline = extractBug(EXPORT_TICKET);
const shown = `${EXPORT_TICKET.subject}\n${EXPORT_TICKET.customerText}`;

describe("mergeExtraction", () => {
  it("fills the gaps the rules left with the customer's own sentences and raises confidence", () => {
    expect(offline.expected).toBeNull();
    expect(offline.actual).toBeNull();
    const { bug, filled } = mergeExtraction(
      offline,
      {
        stepsToReproduce: [],
        expected: "The file should have every order of the month.",
        actual: "It only has the first 100 rows.",
        customerImpact: "Our accountant can't close the books.",
      },
      shown,
    );
    expect(filled).toEqual(["expected", "actual", "impact"]);
    expect(bug.expected).toBe("The file should have every order of the month.");
    expect(bug.confidence).toBeGreaterThan(offline.confidence);
    expect(bug.confidence).toBeGreaterThanOrEqual(0.7);
    expect(bug.confidenceReasons.at(-1)).toMatch(/filled by the LLM/);
  });

  it("keeps every field the rules found, and the verbatim text, errors and traces", () => {
    const { bug } = mergeExtraction(
      offline,
      {
        title: "A different title",
        stepsToReproduce: ["I opened the Reports page", "I clicked Export CSV", "I waited"],
        affectedFeature: "the Export CSV button",
      },
      shown,
    );
    expect(bug.title).toBe(offline.title);
    expect(bug.stepsToReproduce).toEqual(offline.stepsToReproduce);
    expect(bug.affectedFeature).toBe(offline.affectedFeature);
    expect(bug.verbatim).toEqual(offline.verbatim);
    expect(bug.errorMessages).toEqual(offline.errorMessages);
  });

  it("drops what the customer never said (an invented behaviour is not trusted)", () => {
    const { bug, filled } = mergeExtraction(
      offline,
      {
        stepsToReproduce: [],
        expected: "Pagination tokens must persist across lambda invocations.",
        actual: "Serverless cold starts truncate responses.",
      },
      shown,
    );
    expect(filled).toEqual([]);
    expect(bug).toEqual(offline);
  });

  it("never lowers the confidence", () => {
    const { bug } = mergeExtraction(offline, { stepsToReproduce: [] }, shown);
    expect(bug.confidence).toBe(offline.confidence);
  });

  it("takes the model's severity only where no cue in the ticket decided it", () => {
    expect(offline.severity.level).toBe("medium");
    expect(
      mergeExtraction(offline, { stepsToReproduce: [], severity: "high" }, shown).bug.severity
        .level,
    ).toBe("high");
    const crash = extractBug({
      ...EXPORT_TICKET,
      customerText: `${EXPORT_TICKET.customerText} The app crashes.`,
    });
    expect(
      mergeExtraction(crash, { stepsToReproduce: [], severity: "low" }, shown).bug.severity,
    ).toEqual(crash.severity);
  });
});

describe("groundedIn", () => {
  it("needs most words of a phrase in the text", () => {
    const grounded = groundedIn("Abrí la página de Informes y pulsé Exportar");
    expect(grounded("pulsé Exportar en Informes")).toBe(true);
    expect(grounded("clicked the export button")).toBe(false);
    expect(grounded("a b")).toBe(false);
  });
});
