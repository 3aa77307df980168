import { describe, expect, it } from "vitest";
import { answerExtraction, answerRerank } from "@/devstack/sandboxes/llm/rules";
import { EXTRACT_SYSTEM, extractPrompt, rerankPrompt } from "@/lib/pipeline/llm/prompts";
import { EXPORT_TICKET } from "./fixtures";

/** The stand-ins' deterministic "model": tests elsewhere rely on these answers. */
describe("LLM stand-in rules", () => {
  it("extract the customer's own sentences by cue words", () => {
    expect(EXTRACT_SYSTEM).toMatch(/^TASK: extract/);
    const answer = answerExtraction(
      extractPrompt({
        subject: EXPORT_TICKET.subject,
        text: EXPORT_TICKET.customerText,
        language: "en",
      }),
    );
    expect(answer).toMatchObject({
      title: "Export is incomplete",
      expected: "The file should have every order of the month.",
      actual: "It only has the first 100 rows.",
      customerImpact: "Our accountant can't close the books.",
      affectedFeature: "the Reports page",
    });
    expect(answer.stepsToReproduce[0]).toBe("I opened the Reports page and chose last month.");
  });

  it("rerank candidates by word overlap with the report, ties in the given order", () => {
    const prompt = rerankPrompt({ title: "Discount code applied twice at checkout" }, [
      { id: "c1", path: "src/cart/total.ts", name: "cartTotal", startLine: 1, endLine: 9 },
      {
        id: "c2",
        path: "src/checkout/discount.ts",
        name: "applyDiscountCode",
        startLine: 3,
        endLine: 30,
      },
      { id: "c3", path: "src/ui/button.tsx", name: null, startLine: 1, endLine: 5 },
    ]);
    const { ranking } = answerRerank(prompt);
    expect(ranking.map((r) => r.id)).toEqual(["c2", "c1", "c3"]);
    expect(ranking[0]?.reason).toMatch(/checkout, discount/);
  });
});
