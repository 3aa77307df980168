import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import { bodyObject, json, ProviderError, parseWith } from "../http";
import type { Router } from "../router";

/**
 * The stand-ins' answer to the fix task (lib/fixes/attempts/prompt.ts, `TASK: fix`). Not a
 * model: a deterministic, reviewable change built from the prompt, so tests can predict it. It
 * marks the mapped function of the first mapped file with a comment naming the bug, and adds a
 * test file named after the bug. Tests script other answers (a diff that does not apply, a
 * refusal to fix) with `POST /_control/llm/fix-answers {diff, summary?, times?}`: each scripted
 * answer is used once (or `times`), oldest first, before the rule applies again.
 */

const scriptSchema = z.object({
  diff: z.string().max(400_000),
  summary: z.string().min(1).max(4000).default("Scripted answer."),
  times: z.number().int().min(1).max(100).default(1),
});
const scripted: Array<{ diff: string; summary: string; left: number }> = [];

export function registerFixScript(router: Router): void {
  router.add("POST", "/_control/llm/fix-answers", (req) => {
    const b = parseWith(scriptSchema, bodyObject(req), (m) => new ProviderError(422, { error: m }));
    scripted.push({ diff: b.diff, summary: b.summary, left: b.times });
    return json(201, { queued: scripted.length });
  });
  router.add("DELETE", "/_control/llm/fix-answers", () => {
    scripted.length = 0;
    return { status: 204 };
  });
}

const COMMENT: Record<string, string> = { py: "#", rb: "#", sh: "#", yml: "#", yaml: "#" };

function slugOf(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "bug"
  );
}

/** The next scripted answer, if any (shared by the fix and the review-round tasks). */
function nextScripted(): string | null {
  const next = scripted[0];
  if (!next) return null;
  next.left -= 1;
  if (next.left <= 0) scripted.shift();
  return JSON.stringify({ summary: next.summary, diff: next.diff });
}

/**
 * The answer to a review round (`TASK: revise`, lib/fixes/reviews/prompt.ts): the same kind of
 * change as the fix, marked with the first line of the reviewer's first comment, so a test can
 * see that the (redacted) review reached the model and came back as a commit. The test file the
 * pull request already has is in the prompt, so it is not added again.
 */
export function answerRevise(prompt: string): string {
  const scriptedAnswer = nextScripted();
  if (scriptedAnswer) return scriptedAnswer;
  const comment = /<comment[^>]*>\n([^\n]*)/.exec(prompt)?.[1]?.trim() || "changes requested";
  const round = /<review round=(\d+)>/.exec(prompt)?.[1] ?? "1";
  return answerFix(prompt, `Patchline review round ${round}: ${comment.slice(0, 80)}`, false);
}

/** The deterministic answer text for a fix prompt. */
export function answerFix(prompt: string, markText?: string, useScript = true): string {
  const scriptedAnswer = useScript ? nextScripted() : null;
  if (scriptedAnswer) return scriptedAnswer;
  const title = /^Title: (.*)$/m.exec(prompt)?.[1]?.trim() ?? "the reported bug";
  const files = new Map<string, string>();
  for (const m of prompt.matchAll(/<file path=("(?:[^"\\]|\\.)*")>\n([\s\S]*?)\n<\/file>/g)) {
    files.set(JSON.parse(m[1]!) as string, m[2]!);
  }
  const locations = [...prompt.matchAll(/^(\{"path".*\})$/gm)].flatMap((m) => {
    try {
      return [JSON.parse(m[1]!) as { path: string; function: string | null; lines: number[] }];
    } catch {
      return [];
    }
  });
  const target = locations.find((l) => files.has(l.path));
  if (!target) return JSON.stringify({ summary: "No mapped file was given.", diff: "" });
  const original = files.get(target.path)!;
  const ext = target.path.split(".").pop() ?? "";
  const mark = COMMENT[ext] ?? "//";
  const lines = original.split("\n");
  const at = Math.min(Math.max(1, target.lines[0] ?? 1), lines.length) - 1;
  const indent = /^\s*/.exec(lines[at] ?? "")?.[0] ?? "";
  const text = markText ?? `Patchline fix: ${title.replace(/\s+/g, " ")}`;
  lines.splice(at, 0, `${indent}${mark} ${text}`);
  const diffs = [
    createTwoFilesPatch(`a/${target.path}`, `b/${target.path}`, original, lines.join("\n")),
  ];
  const testExt = ["ts", "tsx", "js", "jsx", "mjs"].includes(ext) ? "ts" : ext;
  const testPath = `tests/patchline/${slugOf(title)}.test.${testExt}`;
  if (!files.has(testPath)) {
    const body =
      mark === "#"
        ? `# Regression test for: ${title}\ndef test_${slugOf(title).replace(/-/g, "_")}():\n    assert True\n`
        : `// Regression test for: ${title}\nimport { expect, it } from "vitest";\n\nit(${JSON.stringify(title)}, () => {\n  expect(true).toBe(true);\n});\n`;
    diffs.push(createTwoFilesPatch("/dev/null", `b/${testPath}`, "", body));
  }
  return JSON.stringify({
    summary: markText
      ? `Answers the review on ${target.function ?? target.path}.`
      : `Marks ${target.function ?? target.path} for the fix of "${title}" and adds a regression test.`,
    diff: diffs.join("\n"),
  });
}
