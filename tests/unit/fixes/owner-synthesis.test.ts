import { describe, expect, it } from "vitest";
import {
  type CommitRecord,
  coAuthors,
  commitWeight,
  isBot,
  ownersUnder,
  suggestedOwners,
  synthesizeOwners,
} from "@/lib/fixes/owner-synthesis";

const NOW = new Date("2026-12-06T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

const ana = { name: "Ana Lima", email: "ana@acme.test", login: "ana" };
const bo = { name: "Bo Chen", email: "bo@acme.test", login: "bochen" };
const cy = { name: "Cy Park", email: "Cy@Acme.test" };
const dependabot = {
  name: "dependabot[bot]",
  email: "49699333+dependabot[bot]@users.noreply.github.com",
  login: "dependabot[bot]",
};
const actions = {
  name: "github-actions",
  email: "41898282+github-actions@users.noreply.github.com",
};

let n = 0;
function commit(
  author: CommitRecord["author"],
  age: number,
  files: string[],
  message = "fix: something",
): CommitRecord {
  n++;
  return {
    sha: n.toString(16).padStart(40, "0"),
    authoredAt: daysAgo(age),
    author,
    message,
    files,
  };
}

/**
 * A small generated history: Ana worked on the cart long ago and often, Bo recently and less;
 * bots touch the lock file and the cart; Cy co-authored one of Bo's commits; one commit is older
 * than the window.
 */
function history(): CommitRecord[] {
  const commits: CommitRecord[] = [];
  for (let i = 0; i < 4; i++) commits.push(commit(ana, 300 + i, ["src/cart.ts"]));
  commits.push(commit(bo, 5, ["src/cart.ts", "src/checkout/pay.ts"]));
  commits.push(
    commit(bo, 10, ["src/cart.ts"], `feat: totals\n\nCo-authored-by: Cy Park <cy@acme.test>\n`),
  );
  commits.push(commit(dependabot, 1, ["package-lock.json", "src/cart.ts"]));
  commits.push(commit(actions, 1, ["CHANGELOG.md"]));
  commits.push(commit(ana, 400, ["src/legacy.ts"]));
  commits.push(commit(ana, 30, ["src/checkout/pay.ts", "src/checkout/pay.ts"]));
  return commits;
}

describe("lib/fixes/owner-synthesis", () => {
  it("weighs a commit exp(-age_days / 180)", () => {
    expect(commitWeight(new Date(daysAgo(0)), NOW)).toBeCloseTo(1, 10);
    expect(commitWeight(new Date(daysAgo(180)), NOW)).toBeCloseTo(Math.exp(-1), 10);
    expect(commitWeight(new Date(daysAgo(360)), NOW)).toBeCloseTo(Math.exp(-2), 10);
    // a clock-skewed commit from the future counts as today's, not more
    expect(commitWeight(new Date(NOW.getTime() + 86_400_000), NOW)).toBe(1);
  });

  it("lets two recent commits outweigh four from ten months ago (decay)", () => {
    const result = synthesizeOwners(history(), { now: NOW });
    const cart = result.byPath.get("src/cart.ts") ?? [];
    // one co-authored commit ten days ago also outweighs Ana's four
    expect(cart.map((o) => o.id)).toEqual(["@bochen", "cy@acme.test", "@ana"]);
    const boWeight = Math.exp(-5 / 180) + Math.exp(-10 / 180);
    const anaWeight = [300, 301, 302, 303].reduce((s, d) => s + Math.exp(-d / 180), 0);
    expect(cart[0]?.weight).toBeCloseTo(boWeight, 10);
    expect(cart[2]?.weight).toBeCloseTo(anaWeight, 10);
    expect(cart[2]?.commits).toBe(4);
    // without decay Ana's four commits would win
    const flat = synthesizeOwners(history(), { now: NOW, decayDays: 1e12 });
    expect(flat.byPath.get("src/cart.ts")?.[0]?.id).toBe("@ana");
  });

  it("credits Co-authored-by trailers with the commit's full weight", () => {
    const cart = synthesizeOwners(history(), { now: NOW }).byPath.get("src/cart.ts") ?? [];
    const cy = cart.find((o) => o.id === "cy@acme.test");
    expect(cy?.weight).toBeCloseTo(Math.exp(-10 / 180), 10);
    expect(cy?.login).toBeNull();
    expect(coAuthors("x\n\nCo-authored-by: A B <a@b.c>\nco-authored-by:C <c@d.e>")).toEqual([
      { name: "A B", email: "a@b.c" },
      { name: "C", email: "c@d.e" },
    ]);
  });

  it("leaves bots out, and a bot-only commit counts for nothing", () => {
    const result = synthesizeOwners(history(), { now: NOW });
    expect(result.byPath.has("package-lock.json")).toBe(false);
    expect(result.byPath.has("CHANGELOG.md")).toBe(false);
    expect(result.commitsSkipped.bot).toBe(2);
    expect(isBot(dependabot)).toBe(true);
    expect(
      isBot({ name: "Renovate Bot", email: "bot@renovateapp.com", login: "renovate[bot]" }),
    ).toBe(true);
    expect(isBot(actions)).toBe(true);
    expect(isBot(ana)).toBe(false);
    // a co-author trailer naming a bot is not credited either
    const withBot = synthesizeOwners(
      [
        commit(
          ana,
          1,
          ["a.ts"],
          "x\n\nCo-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        ),
      ],
      { now: NOW },
    );
    expect(withBot.byPath.get("a.ts")?.map((o) => o.id)).toEqual(["@ana"]);
  });

  it("ignores commits older than 365 days", () => {
    const result = synthesizeOwners(history(), { now: NOW });
    expect(result.byPath.has("src/legacy.ts")).toBe(false);
    expect(result.commitsSkipped.tooOld).toBe(1);
    expect(result.commitsConsidered).toBe(7);
  });

  it("counts a file once per commit, and merges one person's identities", () => {
    const pay = synthesizeOwners(history(), { now: NOW }).byPath.get("src/checkout/pay.ts") ?? [];
    expect(pay.find((o) => o.id === "@ana")?.commits).toBe(1);
    const sameCy = synthesizeOwners(
      [commit(cy, 1, ["b.ts"]), commit({ ...cy, email: "cy@acme.test" }, 2, ["b.ts"])],
      { now: NOW },
    );
    expect(sameCy.byPath.get("b.ts")).toHaveLength(1);
    const noreply = synthesizeOwners(
      [
        commit({ name: "Bo", email: "123+BoChen@users.noreply.github.com" }, 1, ["c.ts"]),
        commit(bo, 1, ["c.ts"]),
      ],
      { now: NOW },
    );
    expect(noreply.byPath.get("c.ts")?.map((o) => [o.id, o.commits])).toEqual([["@bochen", 2]]);
  });

  it("suggests owners for a new file from its nearest directory", () => {
    const result = synthesizeOwners(history(), { now: NOW });
    expect(suggestedOwners(result, "src/checkout/refund.ts").map((o) => o.id)).toEqual([
      "@bochen",
      "@ana",
    ]);
    expect(ownersUnder(result, "src/checkout").map((o) => o.id)).toEqual(["@bochen", "@ana"]);
    expect(suggestedOwners(result, "docs/new.md", { limit: 1 }).map((o) => o.id)).toEqual([
      "@bochen",
    ]);
    expect(suggestedOwners(synthesizeOwners([], { now: NOW }), "x.ts")).toEqual([]);
  });
});
