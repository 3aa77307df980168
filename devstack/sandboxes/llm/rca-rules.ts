import { z } from "zod";
import { bodyObject, json, ProviderError, parseWith } from "../http";
import type { Router } from "../router";

/**
 * The stand-ins' answer to the RCA task (lib/fixes/rca/llm-draft.ts, `TASK: rca`). Not a model:
 * the five sections written from the prompt's fields and facts in fixed sentences, so a test can
 * predict them; the timeline copies the facts' lines. Tests script other answers (prose naming a
 * function, a stack trace) with `POST /_control/llm/rca-answers {text, times?}`: the raw answer
 * text, used once (or `times`), oldest first.
 */

const scriptSchema = z.object({
  text: z.string().min(1).max(100_000),
  times: z.number().int().min(1).max(100).default(1),
});
const scripted: Array<{ text: string; left: number }> = [];

export function registerRcaScript(router: Router): void {
  router.add("POST", "/_control/llm/rca-answers", (req) => {
    const b = parseWith(scriptSchema, bodyObject(req), (m) => new ProviderError(422, { error: m }));
    scripted.push({ text: b.text, left: b.times });
    return json(201, { queued: scripted.length });
  });
  router.add("DELETE", "/_control/llm/rca-answers", () => {
    scripted.length = 0;
    return { status: 204 };
  });
}

const field = (prompt: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, "m").exec(prompt)?.[1]?.trim() ?? null;
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1).replace(/[.!?]$/, "");

/** The deterministic answer text for an RCA prompt. */
export function answerRca(prompt: string): string {
  const next = scripted[0];
  if (next) {
    next.left -= 1;
    if (next.left <= 0) scripted.shift();
    return next.text;
  }
  const feature = field(prompt, "Feature");
  const impact = field(prompt, "Impact");
  const actual = field(prompt, "Actual");
  const expected = field(prompt, "Expected");
  const count = field(prompt, "Customers who reported it") ?? "1";
  const where = feature ? `the ${lower(feature)}` : "one part of our product";
  const facts = /<facts>\n([\s\S]*?)\n<\/facts>/.exec(prompt)?.[1] ?? "";
  const timeline = facts
    .split("\n")
    .filter((l) => /^(First report|Fix completed and reviewed|Fix live in production): /.test(l))
    .join("\n");
  const saw = impact ?? actual ?? "something did not work as it should";
  return JSON.stringify({
    customer_impact:
      `${count === "1" ? "One customer" : `${count} customers`} told us about this problem. ${lower(saw)}.`.replace(
        /^(.)/,
        (c) => c.toUpperCase(),
      ),
    timeline: timeline || "First report: unknown",
    root_cause: `An error in how ${where} handled this situation meant that ${actual ? lower(actual) : "it misbehaved"}.`,
    fix: `Our engineers corrected ${where}${expected ? `, so now ${lower(expected)}` : ""}. The change was reviewed before release.`,
    prevention:
      "We added an automated check for this situation, so a change that would bring the problem back is caught before it reaches you.",
  });
}
