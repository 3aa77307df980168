import { createTwoFilesPatch } from "diff";
import { describe, expect, it } from "vitest";
import { parseFixAnswer } from "@/lib/fixes/attempts/answer";
import { checkPatch, isRepositoryPath } from "@/lib/fixes/attempts/check-patch";
import { fixPrompt } from "@/lib/fixes/attempts/prompt";
import {
  conventionalTitle,
  fixBranchName,
  pullRequestBody,
} from "@/lib/fixes/attempts/pull-request-text";

const CART = "export function total(items: number[]): number {\n  return items.length;\n}\n";
const FIXED =
  "export function total(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n";
const repo: Record<string, string> = { "src/cart/total.ts": CART };
const read = async (p: string) => repo[p] ?? null;
const edit = createTwoFilesPatch("a/src/cart/total.ts", "b/src/cart/total.ts", CART, FIXED);
const newTest = createTwoFilesPatch(
  "/dev/null",
  "b/tests/total.test.ts",
  "",
  "it('sums', () => {});\n",
);

describe("checkPatch", () => {
  it("applies an edit and a new test file exactly", async () => {
    const out = await checkPatch(`${edit}\n${newTest}`, read);
    expect(out).toEqual({
      ok: true,
      changes: [
        { path: "src/cart/total.ts", content: FIXED, created: false },
        { path: "tests/total.test.ts", content: "it('sums', () => {});\n", created: true },
      ],
    });
  });

  it("refuses a hunk whose context is not in the file (no fuzz)", async () => {
    const stale = edit.replace("return items.length;", "return items.size;");
    const out = await checkPatch(stale, read);
    expect(out).toMatchObject({ ok: false, reason: "does_not_apply" });
  });

  it("refuses paths outside the repository and files that do not exist", async () => {
    const climbOut = createTwoFilesPatch("/dev/null", "b/../etc/passwd", "", "x\n");
    expect(await checkPatch(climbOut, read)).toMatchObject({
      ok: false,
      reason: "outside_repository",
    });
    const gitDir = createTwoFilesPatch("/dev/null", "b/.git/config", "", "x\n");
    expect(await checkPatch(gitDir, read)).toMatchObject({
      ok: false,
      reason: "outside_repository",
    });
    const missing = createTwoFilesPatch("a/src/nope.ts", "b/src/nope.ts", "a\n", "b\n");
    expect(await checkPatch(missing, read)).toMatchObject({
      ok: false,
      reason: "outside_repository",
    });
  });

  it("refuses creating a file that exists, an empty diff and prose", async () => {
    const create = createTwoFilesPatch("/dev/null", "b/src/cart/total.ts", "", "x\n");
    expect(await checkPatch(create, read)).toMatchObject({ ok: false, reason: "does_not_apply" });
    expect(await checkPatch("  ", read)).toMatchObject({ ok: false, reason: "empty" });
    expect(await checkPatch("I would change the cart total.", read)).toMatchObject({
      ok: false,
      reason: "unparsable",
    });
  });

  it("knows a repository path", () => {
    expect(isRepositoryPath("src/a.ts")).toBe(true);
    for (const bad of ["/abs", "a/../b", "./a", "a//b", ".git/HEAD", "a\\b", "a\nb", ""])
      expect(isRepositoryPath(bad)).toBe(false);
  });
});

describe("the answer and the prompt", () => {
  it("parses a fenced JSON answer and refuses prose", () => {
    expect(parseFixAnswer('```json\n{"summary":"s","diff":""}\n```')).toEqual({
      summary: "s",
      diff: "",
    });
    expect(parseFixAnswer("Sure! Here is a fix")).toBeNull();
    expect(parseFixAnswer(null)).toBeNull();
  });

  it("redacts the bug's fields but sends the files as they are", () => {
    const p = fixPrompt({
      repository: "acme/shop",
      bug: {
        title: "Total wrong for sam@example.org",
        steps: ["Add two items"],
        expected: null,
        actual: "Shows 2",
        feature: null,
        errorMessages: [],
      },
      locations: [
        {
          path: "src/cart/total.ts",
          functionName: "total",
          startLine: 1,
          endLine: 3,
          explanation: "name match",
        },
      ],
      files: [{ path: "src/cart/total.ts", content: CART }],
    });
    expect(p.text).not.toContain("sam@example.org");
    expect(p.text).toContain("[email]");
    expect(p.text).toContain(CART);
    expect(p.piiRisks).toContain("email");
  });
});

describe("the pull request's text", () => {
  it("has a Conventional Commits title scoped by the changed source directory", () => {
    expect(
      conventionalTitle("Cart total counts items, not prices.", [
        "src/cart/total.ts",
        "tests/total.test.ts",
      ]),
    ).toBe("fix(cart): cart total counts items, not prices");
    expect(conventionalTitle("x".repeat(200), ["total.ts"]).length).toBeLessThanOrEqual(72);
    expect(conventionalTitle("Broken", [])).toBe("fix: broken");
  });

  it("names a branch per bug", () => {
    expect(fixBranchName("0b8f3c2e-1111-2222-3333-444455556666", "Cart total: wrong!")).toBe(
      "patchline/fix-cart-total-wrong-0b8f3c2e",
    );
  });

  it("never carries the customer's name or email", () => {
    const body = pullRequestBody({
      bugTitle: "Sam Lee sees a wrong total",
      severity: "high",
      expected: "Mail receipts to sam.lee@example.org with the sum",
      actual: "Sam gets the count",
      steps: ["Sam adds two items"],
      changeSummary: "Sums prices instead of counting items.",
      changedPaths: ["src/cart/total.ts"],
      locations: [
        {
          path: "src/cart/total.ts",
          functionName: "total",
          startLine: 1,
          endLine: 3,
          explanation: "matches total",
        },
      ],
      tickets: [{ provider: "zendesk", externalId: "42" }],
      customerNames: ["Sam Lee"],
      reviewersFrom: "codeowners",
      bugUrl: "https://app.example/acme/bugs/1",
    });
    expect(body).not.toMatch(/sam/i);
    expect(body).not.toContain("Lee");
    expect(body).toContain("Zendesk ticket #42");
    expect(body).toContain("`src/cart/total.ts:1-3` (`total`)");
    expect(body).toContain("CODEOWNERS");
  });
});
