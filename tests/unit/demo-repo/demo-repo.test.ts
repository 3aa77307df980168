import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoRepo, DEMO_COMMITS, type DemoRepo } from "@/devstack/demo-repo/build";
import { type DemoTicket, loadDemoTickets } from "@/devstack/demo-repo/tickets";
import { type DemoCodeMap, demoCodeMap } from "./code-map";

/** Pinned in tickets.json: the commit the ground truth's line numbers refer to. */
const ticketsFile = loadDemoTickets();

function git(gitDir: string, ...args: string[]): string {
  const res = spawnSync("git", [`--git-dir=${gitDir}`, ...args], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(res.stderr);
  return res.stdout;
}

let tmp: string;
let repo: DemoRepo;
let codeMap: DemoCodeMap;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "demo-repo-test-"));
  repo = await buildDemoRepo(path.join(tmp, "a"));
  codeMap = await demoCodeMap(repo.gitDir, repo.headSha, repo.fullName);
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("buildDemoRepo", () => {
  it("builds the same head sha every time, in any directory, and the one tickets.json names", async () => {
    const again = await buildDemoRepo(path.join(tmp, "elsewhere"));
    expect(again.headSha).toBe(repo.headSha);
    expect(repo.headSha).toBe(ticketsFile.commit);
    // Re-building over an existing build replaces it.
    const over = await buildDemoRepo(path.join(tmp, "a"));
    expect(over).toEqual(repo);
  }, 60_000);

  it("is a bare acme/storefront repository whose default branch is main, with the fixed history", () => {
    expect(repo.fullName).toBe("acme/storefront");
    expect(git(repo.gitDir, "rev-parse", "--is-bare-repository").trim()).toBe("true");
    expect(git(repo.gitDir, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/main");
    const log = git(repo.gitDir, "log", "--format=%an|%aI|%cI|%s", "main").trim().split("\n");
    expect(log).toHaveLength(DEMO_COMMITS.length);
    expect(log.at(-1)).toBe(
      "Maya Lindqvist|2024-01-08T10:12:00+01:00|2024-01-08T10:12:00+01:00|Storefront API: catalog, cart, pricing and discount codes, checkout, accounts",
    );
    const tree = git(repo.gitDir, "ls-tree", "-r", "--name-only", "main").split("\n");
    for (const f of [
      "README.md",
      "package.json",
      "billing/pyproject.toml",
      ".github/CODEOWNERS",
      ".github/workflows/deploy.yml",
    ]) {
      expect(tree).toContain(f);
    }
    expect(git(repo.gitDir, "ls-tree", "main", "scripts/rollout.sh")).toMatch(/^100755 /);
    expect(git(repo.gitDir, "fsck", "--strict", "--no-progress")).toBe("");
  });

  it("is a few thousand lines of TypeScript and Python", () => {
    const byLanguage = new Map<string, number>();
    for (const f of codeMap.index.files) {
      byLanguage.set(f.language, (byLanguage.get(f.language) ?? 0) + f.lines);
    }
    const total = [...byLanguage.values()].reduce((a, b) => a + b, 0);
    console.info(
      "demo repository, indexed source lines by language:",
      Object.fromEntries(byLanguage),
    );
    expect(byLanguage.get("typescript") ?? 0).toBeGreaterThan(1500);
    expect(byLanguage.get("python") ?? 0).toBeGreaterThan(600);
    expect(total).toBeGreaterThan(2500);
  });
});

describe("tickets.json", () => {
  const tickets: DemoTicket[] = ticketsFile.tickets;

  it("has 6 to 10 tickets with distinct ids and distinct bugs", () => {
    expect(tickets.length).toBeGreaterThanOrEqual(6);
    expect(tickets.length).toBeLessThanOrEqual(10);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
    expect(new Set(tickets.map((t) => `${t.truth.file}#${t.truth.function}`)).size).toBe(
      tickets.length,
    );
  });

  it.each(tickets.map((t) => [t.id, t] as const))(
    "%s: the ground truth is where it says, at the pinned commit",
    (_id, t) => {
      const [start, end] = t.truth.lines;
      expect(end).toBeGreaterThanOrEqual(start);
      const lines = git(repo.gitDir, "show", `${repo.headSha}:${t.truth.file}`).split("\n");
      expect(lines[start - 1]).toContain(t.truth.anchor);
      for (const line of [start, end]) {
        expect(codeMap.functionAt(t.truth.file, line)).toBe(t.truth.function);
      }
    },
  );

  it.each(tickets.map((t) => [t.id, t] as const))(
    "%s: is written in customer words, naming no file or function",
    (_id, t) => {
      const text = `${t.subject}\n${t.body}`.toLowerCase();
      const base = path.basename(t.truth.file).replace(/\.[a-z]+$/, "");
      expect(text).not.toContain(t.truth.file.toLowerCase());
      expect(text).not.toContain(t.truth.function.toLowerCase());
      expect(text).not.toMatch(new RegExp(`\\b${base.replace(/[_-]/g, "[_-]")}\\.(ts|py)\\b`));
    },
  );
});

describe("the code map on the demo tickets", () => {
  /**
   * The bar: the true file in the top 5 for at least 7 of the 10 tickets (measured 7/10 on
   * 2026-12-06). The three that miss are realistic and kept on purpose, so the demo shows the
   * review queue too: "logged in" (code says "signed in"), "sold out" (code says "out of
   * stock") and accent folding missing from a helper the ticket cannot know about.
   */
  it("ranks the true file in the top 5 for most tickets", () => {
    const rows = ticketsFile.tickets.map((t) => {
      const result = codeMap.map(t);
      const fileRank = result.files.findIndex((f) => f.path === t.truth.file) + 1;
      const functionRank =
        result.functions.findIndex((f) => f.path === t.truth.file && f.qname === t.truth.function) +
        1;
      return {
        ticket: t.id,
        fileRank: fileRank || "> 20",
        functionRank: functionRank || "-",
        confidence: Number(result.confidence.toFixed(2)),
        topFile: result.files[0]?.path,
        inTop5: fileRank >= 1 && fileRank <= 5,
      };
    });
    console.table(rows);
    const inTop5 = rows.filter((r) => r.inTop5).length;
    expect(inTop5, `true file in the top 5 for ${inTop5}/${rows.length}`).toBeGreaterThanOrEqual(
      Math.ceil(rows.length * 0.7),
    );
  });
});
