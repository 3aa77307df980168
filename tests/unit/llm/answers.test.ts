import { describe, expect, it } from "vitest";
import {
  extractionAnswerSchema,
  parseAnswer,
  rerankAnswerSchema,
} from "@/lib/pipeline/llm/answers";
import { orderFromAnswer } from "@/lib/pipeline/llm/stage";

describe("parseAnswer", () => {
  it("reads a JSON object, with or without a ```json fence", () => {
    const raw = '{"ranking":[{"id":"c2","reason":"names the cart"}]}';
    expect(parseAnswer(rerankAnswerSchema, raw)?.ranking[0]?.id).toBe("c2");
    expect(parseAnswer(rerankAnswerSchema, `\`\`\`json\n${raw}\n\`\`\``)?.ranking).toHaveLength(1);
  });

  it("refuses prose, truncated JSON and wrong types (the offline result then stands)", () => {
    expect(parseAnswer(extractionAnswerSchema, "Sure! The bug is in checkout.")).toBeNull();
    expect(parseAnswer(extractionAnswerSchema, '{"title": "Broken')).toBeNull();
    expect(parseAnswer(extractionAnswerSchema, '{"stepsToReproduce": "click"}')).toBeNull();
    expect(parseAnswer(extractionAnswerSchema, '{"severity": "catastrophic"}')).toBeNull();
    expect(parseAnswer(rerankAnswerSchema, '{"ranking": []}')).toBeNull();
  });

  it("defaults missing optional fields", () => {
    expect(parseAnswer(extractionAnswerSchema, "{}")).toEqual({ stepsToReproduce: [] });
  });
});

describe("orderFromAnswer", () => {
  const ids = ["c1", "c2", "c3"];

  it("follows the model's order and appends what it left out in the offline order", () => {
    expect(
      orderFromAnswer(
        [
          { id: "c3", reason: "r3" },
          { id: "c1", reason: "r1" },
        ],
        ids,
      ),
    ).toEqual([
      { index: 2, reason: "r3" },
      { index: 0, reason: "r1" },
      { index: 1, reason: null },
    ]);
  });

  it("drops unknown and repeated ids, and gives up when none is known", () => {
    expect(
      orderFromAnswer(
        [
          { id: "c9", reason: "x" },
          { id: "c2", reason: "a" },
          { id: "c2", reason: "b" },
        ],
        ids,
      )?.map((o) => o.index),
    ).toEqual([1, 0, 2]);
    expect(orderFromAnswer([{ id: "nope", reason: "x" }], ids)).toBeNull();
  });
});
