import { describe, expect, it } from "vitest";
import { classifyText, detectLanguage } from "@/lib/pipeline/noise";
import { LABELLED } from "./fixtures/labelled-messages";

describe("classification of labelled customer messages", () => {
  for (const { text, lang, label } of LABELLED) {
    it(`${label} (${lang}): ${text.slice(0, 50)}…`, () => {
      const detected = detectLanguage(text);
      const result = classifyText(text, detected);
      expect({ label: result.label, reason: result.reason }).toMatchObject({ label });
      expect(result.score).toBeGreaterThan(0);
    });
  }

  it("detects the language of most of them (short messages may stay unknown, never wrong)", () => {
    const detected = LABELLED.map(({ text, lang }) => ({ lang, got: detectLanguage(text) }));
    const wrong = detected.filter(({ lang, got }) => got !== null && got !== lang);
    const right = detected.filter(({ lang, got }) => got === lang).length;
    expect(wrong).toEqual([]);
    expect(right / LABELLED.length).toBeGreaterThanOrEqual(0.85);
  });
});
