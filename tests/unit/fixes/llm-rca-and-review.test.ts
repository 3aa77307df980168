import { describe, expect, it } from "vitest";
import { draftRca, type RcaFacts } from "@/lib/fixes/rca/draft";
import {
  checkRcaProse,
  draftRcaWithModel,
  parseRcaAnswer,
  rcaPrompt,
  timelineFacts,
} from "@/lib/fixes/rca/llm-draft";
import type { RcaSections } from "@/lib/fixes/rca/sections";
import { revisePrompt } from "@/lib/fixes/reviews/prompt";
import { changesRequested } from "@/lib/fixes/reviews/trigger";
import type { LlmClient, LlmCompletion, LlmRequest } from "@/lib/pipeline/llm/types";
import type { GithubPayload } from "@/lib/webhooks/payloads";

/**
 * Issue 17's two LLM additions without a network: the RCA prompt leaves redacted and without code
 * names, the model's prose is used only when it passes the plain-language checks (else the
 * offline draft, with why); the review round's prompt redacts the reviewer's text, and only a
 * submitted review asking for changes starts a round.
 */

const facts: RcaFacts = {
  bug: {
    title: "Checkout total ignores the coupon for dana.whitfield@example.org",
    severity: "high",
    feature: "Checkout page",
    impact: "Customers were charged the full price; call me on +1 415 555 0100",
    expected: "The coupon lowers the total",
    actual: "applyCoupon() is never called, so the total stays the same",
  },
  reports: { count: 3, firstAt: new Date("2026-12-01T09:30:00Z") },
  pullRequests: [
    { repository: "acme/shop", number: 7, mergedAt: new Date("2026-12-03T14:05:00Z") },
  ],
  deployedAt: new Date("2026-12-04T08:00:00Z"),
  testsAdded: true,
  avoid: ["src/checkout/coupon.ts", "coupon.ts", "CouponService.applyCoupon", "applyCoupon"],
};

const good: RcaSections = {
  customer_impact: "Three customers paid the full price although they had a valid coupon.",
  timeline:
    "First report: 1 Dec 2026, 09:30 UTC\nFix completed and reviewed: 3 Dec 2026, 14:05 UTC\nFix live in production: 4 Dec 2026, 08:00 UTC",
  root_cause:
    "The checkout page forgot to take the coupon into account when it added up the order.",
  fix: "We corrected the checkout page, so a coupon now lowers the total.",
  prevention: "We added an automated test for coupons at checkout.",
};

function fakeLlm(answer: string | Error | { refused: true }): LlmClient & { seen: LlmRequest[] } {
  const seen: LlmRequest[] = [];
  return {
    provider: "anthropic",
    model: "stand-in",
    seen,
    async complete(request): Promise<LlmCompletion> {
      seen.push(request);
      if (answer instanceof Error) throw answer;
      const refused = typeof answer === "object";
      return {
        text: refused ? null : answer,
        refused,
        model: "stand-in",
        inputTokens: 10,
        outputTokens: 20,
      };
    },
  };
}

describe("the RCA prompt", () => {
  it("redacts the bug's free text and sends no mapped function or file name", () => {
    const { text, piiRisks } = rcaPrompt(facts);
    expect(text).not.toContain("dana.whitfield@example.org");
    expect(text).not.toContain("555 0100");
    expect(text).toContain("[email]");
    expect(piiRisks).toEqual(["email", "phone"]);
    for (const name of ["src/checkout/coupon.ts", "CouponService"])
      expect(text).not.toContain(name);
    // the facts with their exact times
    expect(text).toContain("First report: 1 Dec 2026, 09:30 UTC");
    expect(text).toContain("Fix live in production: 4 Dec 2026, 08:00 UTC");
    expect(text).toContain("Customers who reported it: 3");
  });

  it("lists the timeline's events in order, merge and deploy only when they happened", () => {
    expect(timelineFacts({ ...facts, pullRequests: [], deployedAt: null })).toEqual([
      { event: "First report", at: "1 Dec 2026, 09:30 UTC" },
    ]);
    expect(timelineFacts(facts).map((e) => e.event)).toEqual([
      "First report",
      "Fix completed and reviewed",
      "Fix live in production",
    ]);
  });
});

describe("the model's sections are checked", () => {
  const times = timelineFacts(facts).map((e) => e.at);

  it("plain prose with every time passes", () => {
    expect(checkRcaProse(good, facts, times)).toBeNull();
  });

  it.each([
    ["a mapped function name", { root_cause: "The applyCoupon step was skipped." }, "root cause"],
    ["a qualified name", { fix: "We changed CouponService.applyCoupon to run." }, "fix"],
    ["a file name", { root_cause: "A mistake in coupon.ts skipped the discount." }, "root cause"],
    [
      "a stack trace line",
      { root_cause: "It failed.\n    at applyDiscount (cart.js:12:3)" },
      "root cause",
    ],
    [
      "a call",
      { customer_impact: "The total() was wrong for three customers." },
      "customer impact",
    ],
    ["a redaction marker", { customer_impact: "We wrote to [email] about it." }, "customer impact"],
  ] as const)("%s is refused, naming the section", (_what, change, label) => {
    const problem = checkRcaProse({ ...good, ...change }, facts, times);
    expect(problem).toContain(label);
  });

  it("a timeline that lost a time is refused", () => {
    expect(
      checkRcaProse({ ...good, timeline: "First report: early December" }, facts, times),
    ).toContain("timeline");
  });

  it("the answer must be exactly the five sections (a fence is tolerated)", () => {
    expect(parseRcaAnswer(`\`\`\`json\n${JSON.stringify(good)}\n\`\`\``)).toEqual(good);
    expect(parseRcaAnswer(JSON.stringify({ ...good, extra: "x" }))).toBeNull();
    expect(parseRcaAnswer(JSON.stringify({ ...good, fix: "" }))).toBeNull();
    expect(parseRcaAnswer("Here is your RCA: …")).toBeNull();
  });
});

describe("draftRcaWithModel", () => {
  it("uses the model's prose when it passes, and records the call", async () => {
    const llm = fakeLlm(JSON.stringify(good));
    const drafted = await draftRcaWithModel(llm, facts);
    expect(drafted).toMatchObject({ source: "llm", note: null, sections: good });
    expect(drafted.call).toMatchObject({
      task: "rca",
      outcome: "used",
      piiRisks: ["email", "phone"],
    });
    expect(llm.seen[0]?.system).toMatch(/^TASK: rca/);
    expect(llm.seen[0]?.user).not.toContain("dana.whitfield");
  });

  it("falls back to exactly the offline draft, saying why, when the check fails", async () => {
    const drafted = await draftRcaWithModel(
      fakeLlm(JSON.stringify({ ...good, root_cause: "applyCoupon() was skipped." })),
      facts,
    );
    expect(drafted.sections).toEqual(draftRca(facts));
    expect(drafted.source).toBe("offline_fallback");
    expect(drafted.note).toMatch(/root cause named code/);
    expect(drafted.note).not.toContain("applyCoupon");
    expect(drafted.call?.outcome).toBe("rejected");
  });

  it.each([
    [
      "provider down",
      Object.assign(new Error("boom"), { status: 503 }),
      "failed",
      /did not answer/,
    ],
    ["refusal", { refused: true } as const, "refused", /declined/],
    ["prose", "Sure! Here is the RCA.", "malformed", /not the five sections/],
  ] as const)("%s → the offline draft", async (_what, answer, outcome, note) => {
    const drafted = await draftRcaWithModel(fakeLlm(answer), facts);
    expect(drafted.sections).toEqual(draftRca(facts));
    expect(drafted.source).toBe("offline_fallback");
    expect(drafted.note).toMatch(note);
    expect(drafted.call?.outcome).toBe(outcome);
  });

  it("without a client: the offline draft, no call", async () => {
    expect(await draftRcaWithModel(null, facts)).toEqual({
      sections: draftRca(facts),
      source: "offline",
      note: null,
      call: null,
    });
  });
});

describe("review rounds", () => {
  it("the prompt redacts the reviewer's comments and keeps the branch's files as they are", () => {
    const { text, piiRisks } = revisePrompt({
      repository: "acme/shop",
      round: 2,
      bug: {
        title: "Coupon ignored",
        steps: [],
        expected: null,
        actual: null,
        feature: null,
        errorMessages: [],
      },
      locations: [
        {
          path: "src/a.ts",
          functionName: "applyCoupon",
          startLine: 1,
          endLine: 3,
          explanation: "x",
        },
      ],
      files: [{ path: "src/a.ts", content: "const key = 'sk_live_abcdefghijklmnop';\n" }],
      comments: [
        {
          author: "cart-lead",
          body: "Ask dana.whitfield@example.org; token ghp_abcdefghijklmnopqrstuvwx12",
        },
        { author: "cart-lead", body: "Rename this.", path: "src/a.ts", line: 2 },
        { author: "cart-lead", body: "   " },
      ],
    });
    expect(text).toContain("<review round=2>");
    expect(text).toContain("[email]");
    expect(text).not.toContain("dana.whitfield@example.org");
    expect(text).not.toContain("ghp_abcdefghijklmnopqrstuvwx12");
    expect(text).toContain('<comment path="src/a.ts" line=2>\nRename this.\n</comment>');
    expect(text.match(/<comment/g)?.length).toBe(2);
    // source files go as they are: a redacted file could not be patched
    expect(text).toContain("sk_live_abcdefghijklmnop");
    expect(piiRisks).toEqual(expect.arrayContaining(["email", "api-key"]));
  });

  const payload = (state: string) =>
    ({
      repository: { id: 9 },
      pull_request: { number: 4 },
      review: { id: 77, state, user: { login: "cart-lead" }, body: "Please change" },
    }) as unknown as GithubPayload;

  it("only a submitted review asking for changes starts a round", () => {
    expect(changesRequested("pull_request_review.submitted", payload("changes_requested"))).toEqual(
      {
        githubRepositoryId: 9,
        number: 4,
        reviewId: 77,
        reviewer: "cart-lead",
        body: "Please change",
      },
    );
    expect(
      changesRequested("pull_request_review.submitted", payload("CHANGES_REQUESTED")),
    ).not.toBeNull();
    expect(changesRequested("pull_request_review.submitted", payload("approved"))).toBeNull();
    expect(changesRequested("pull_request_review.submitted", payload("commented"))).toBeNull();
    expect(changesRequested("pull_request_review.edited", payload("changes_requested"))).toBeNull();
    expect(changesRequested("pull_request_review.dismissed", payload("dismissed"))).toBeNull();
  });
});
