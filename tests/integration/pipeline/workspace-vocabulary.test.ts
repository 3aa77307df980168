import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stem } from "@/lib/pipeline/code-index/tokenize";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  installGithub,
  newWorkspace,
  releaseSharedSandboxAccounts,
  usePipelineEnv,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Each workspace's own vocabulary, end to end against the devstack: a repository of our own with
 * a few fix commits is served by the GitHub sandbox (commit files with `patch`, as GitHub gives
 * them); selecting it runs `index-repository`, whose second step reads the commits and stores
 * the learned table (public.code_vocabularies); a push learns only the new commit; a location
 * marked mismapped (`vocabulary/corrected`) and a merged fix (the `pull_request.closed`
 * delivery) re-learn it through `relearn-vocabulary`; the mapping reads the table merged.
 */

const APP_ID = "pipeline-vocabulary-test";
const owner = `plvocab${randomUUID().slice(0, 6)}`;
const fullName = `${owner}/shop`;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let work: string;
let organizationId: string;
let repositoryId: string;
let githubRepositoryId: number;
let installationId: string;
const shas: Record<string, string> = {};
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const git = (...args: string[]) =>
  execFileSync("git", ["-C", work, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ana",
      GIT_AUTHOR_EMAIL: "ana@acme.example",
      GIT_COMMITTER_NAME: "Ana",
      GIT_COMMITTER_EMAIL: "ana@acme.example",
    },
  })
    .toString()
    .trim();
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
  writeFileSync(path.join(work, file), text);
};
const commit = (name: string, message: string) => {
  git("add", "-A");
  git("commit", "-q", "-m", message);
  shas[name] = git("rev-parse", "HEAD");
};

const summary = (offsetLine: string) =>
  [
    "/** The merchant's daily sales summary. */",
    "export function localDayStart(day: Date, utcOffsetMinutes: number): Date {",
    `  ${offsetLine}`,
    "  return new Date(midnight);",
    "}",
    "",
    "export function summaryTotals(orders: number[]): number {",
    "  return orders.reduce((a, b) => a + b, 0);",
    "}",
    "",
  ].join("\n");
const cart = (body: string) =>
  [
    "export class Cart {",
    "  quantities = new Map<string, number>();",
    "  updateLine(sku: string, quantity: number) {",
    `    ${body}`,
    "  }",
    "}",
    "",
  ].join("\n");

interface VocabularyRow {
  bridge: { words: Record<string, Array<[string, number]>>; source: string };
  commits_read: number;
  pairs_from_commits: number;
  pairs_from_corrections: number;
  commit_learned_at: string | null;
  learned_at: string;
}
async function vocabularyRow(): Promise<VocabularyRow | undefined> {
  const [row] = await asSuperuser<VocabularyRow>(
    `select bridge, commits_read, pairs_from_commits, pairs_from_corrections, commit_learned_at,
            learned_at
       from public.code_vocabularies where repository_id = $1`,
    [repositoryId],
  );
  return row;
}
const targetsOf = (row: VocabularyRow, word: string) =>
  new Map((row.bridge.words[stem(word)] ?? []).map(([t, s]) => [t, s]));

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [indexing, relearn] = await Promise.all([
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/relearn-vocabulary"),
  ]);
  app = await serveApp(inngest, [
    indexing.defineIndexRepository(inngest),
    relearn.defineRelearnVocabulary(inngest, { debouncePeriod: "1s" }),
  ]);
  await syncApp(executorUrl(), app.url);

  work = mkdtempSync(path.join(os.tmpdir(), "pl-vocab-"));
  git("init", "-q", "-b", "main");
  write("src/summary.ts", summary("const midnight = day.getTime();"));
  write("src/cart.ts", cart("this.quantities.set(sku, 0);"));
  write("src/search.ts", "export function foldAccents(q: string) {\n  return q;\n}\n");
  write("README.md", "# Shop\n");
  commit("initial", "Shop: daily summary and cart");
  write("src/summary.ts", summary("const midnight = day.getTime() - utcOffsetMinutes;"));
  commit(
    "evening",
    "Daily summary misses evening orders\n\nThe merchant's day starts at local midnight, not UTC.\n\nSigned-off-by: Ana <ana@acme.example>",
  );
  write("src/summary.ts", summary("const midnight = day.getTime() - utcOffsetMinutes * 60_000;"));
  commit("minutes", "Summary window off by hours for merchants west of Greenwich");
  write("src/cart.ts", cart("this.quantities.set(sku, quantity);"));
  commit("cart", "Cart forgets the quantity when a line is updated");
  write("package.json", '{ "dependencies": { "left-pad": "1.3.0" } }\n');
  commit("bump", "Bump left-pad from 1.2.0 to 1.3.0");

  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: work,
    full_name: fullName,
  });
  expect(added.status).toBeLessThan(300);
  githubRepositoryId = added.json.repository.id;
  installationId = await installGithub(owner);
  organizationId = await newWorkspace("vocab");
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [organizationId, integration?.id, githubRepositoryId, fullName],
  );
  if (!repo) throw new Error("repository not created");
  repositoryId = repo.id;
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a workspace's own vocabulary", () => {
  it("the sandbox serves each commit file's patch, as GitHub does", async () => {
    const { installationOctokit } = await import("@/lib/integrations/github/app");
    const { getAccessToken } = await import("@/lib/integrations/access-token");
    const [integration] = await asSuperuser<{ id: string }>(
      "select integration_id as id from public.integration_repositories where id = $1",
      [repositoryId],
    );
    const octokit = installationOctokit(
      devstackEnv().GITHUB_API_BASE ?? "",
      await getAccessToken({ id: integration?.id ?? "", organizationId }),
    );
    const { data } = await octokit.rest.repos.getCommit({
      owner,
      repo: "shop",
      ref: shas.evening ?? "",
    });
    expect(data.files?.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["src/summary.ts", "modified", 1, 1],
    ]);
    expect(data.files?.[0]?.patch).toMatch(/^@@ -1,\d+ \+1,\d+ @@/);
    expect(data.files?.[0]?.patch).toContain(
      "+  const midnight = day.getTime() - utcOffsetMinutes;",
    );
    expect(data.stats).toEqual({ additions: 1, deletions: 1, total: 2 });
  }, 30_000);

  it("indexing a selected repository learns its table from its fix commits", async () => {
    await inngest.send(events.repositorySelected.create({ organizationId, repositoryId }));
    const row = await waitFor(vocabularyRow, 90_000, "the vocabulary row");
    expect(row.commit_learned_at).toBe(shas.bump);
    expect(row.commits_read).toBe(5);
    // the bump touches no indexed code and the first commit only adds files (a feature, not a
    // fix: the commit filter the offline corpus shares); the other three are pairs
    expect(row.pairs_from_commits).toBe(3);
    expect(row.pairs_from_corrections).toBe(0);
    expect(row.bridge.source).toBe(fullName);
    // "evening" was only ever fixed in the summary's day window, never in the cart
    const evening = targetsOf(row, "evening");
    expect(evening.get("utc")).toBeGreaterThan(0);
    expect(evening.has("cart")).toBe(false);
    expect(targetsOf(row, "quantity").has("localdaystart")).toBe(false);
    const run = await waitFor(
      async () =>
        (await runsOf(executorUrl(), `${APP_ID}-index-repository`)).find(
          (r) =>
            r.status === "completed" && (r.output as { commit?: string })?.commit === shas.bump,
        ),
      20_000,
      "the index run",
    );
    expect(run.output).toMatchObject({
      status: "indexed",
      mode: "full",
      vocabulary: { status: "learned", commitsRead: 5, pairsFromCommits: 3 },
    });
  }, 120_000);

  it("a push learns only the commits since the last one read", async () => {
    // a fix of code that was there before (a commit that only adds a file would be no fix)
    write(
      "src/search.ts",
      "export function foldAccents(q: string) {\n  return q.normalize('NFD');\n}\n",
    );
    commit("accents", "Search ignores accents in product names");
    const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
      repo: fullName,
    });
    const after = pushed.json.pushed[0]?.after ?? "";
    expect(after).toBe(shas.accents);
    await inngest.send(events.repositoryPushed.create({ organizationId, repositoryId, after }));
    const row = await waitFor(
      async () => {
        const r = await vocabularyRow();
        return r?.commit_learned_at === after ? r : undefined;
      },
      90_000,
      "the vocabulary at the pushed commit",
    );
    expect(row.commits_read).toBe(6);
    expect(row.pairs_from_commits).toBe(4);
    expect(targetsOf(row, "accents").get(stem("normalize"))).toBeGreaterThan(0);
  }, 120_000);

  it("a mismapped mark and a merged fix re-learn it, and the mapping reads it", async () => {
    const before = await vocabularyRow();
    const [bug] = await asSuperuser<{ id: string }>(
      `insert into public.bugs
         (organization_id, title, impact, severity, extraction_confidence, mapping_confidence,
          status)
       values ($1, 'Evening orders missing from the daily summary',
               'Merchants in Chicago see totals without their evening orders', 'medium', 0.9,
               0.5, 'review') returning id`,
      [organizationId],
    );
    const bugId = bug?.id ?? "";
    await asSuperuser(
      `insert into public.bug_locations
         (organization_id, bug_id, repository_id, repository_full_name, commit_sha, path,
          function_name, start_line, end_line, confidence, explanation, rank, mismapped,
          mismapped_reason)
       values ($1, $2, $3, $4, $5, 'src/cart.ts', 'Cart.updateLine', 3, 5, 0.5, 'words', 1, true,
               'the summary, not the cart')`,
      [organizationId, bugId, repositoryId, fullName, shas.accents],
    );
    await inngest.send(events.vocabularyCorrected.create({ organizationId, bugId }));
    const marked = await waitFor(
      async () => {
        const r = await vocabularyRow();
        return r && r.pairs_from_corrections === 1 ? r : undefined;
      },
      60_000,
      "the re-learned table after the mark",
    );
    expect(marked.learned_at > (before?.learned_at ?? "")).toBe(true);
    expect(marked.commit_learned_at).toBe(shas.accents);
    expect(marked.pairs_from_commits).toBe(4);

    // the bug's fix: the commit that moved the summary's window, merged as its pull request
    await asSuperuser(
      `insert into public.pull_requests
         (organization_id, bug_id, repository_id, number, url, state, merge_sha, merged_at)
       values ($1, $2, $3, 7, 'https://github.com/x/y/pull/7', 'merged', $4, now())`,
      [organizationId, bugId, repositoryId, shas.minutes],
    );
    await inngest.send(
      events.webhookDeliveryReceived.create({
        provider: "github",
        organizationId,
        deliveryId: randomUUID(),
        integrationId: null,
        providerEventId: randomUUID(),
        eventType: "pull_request.closed",
        payload: {
          action: "closed",
          number: 7,
          pull_request: {
            id: 7007,
            number: 7,
            state: "closed",
            merged: true,
            merge_commit_sha: shas.minutes,
            head: { ref: "fix/evening", sha: shas.minutes ?? "" },
            base: { ref: "main" },
          },
        },
      }),
    );
    const fixed = await waitFor(
      async () => {
        const r = await vocabularyRow();
        return r && r.pairs_from_corrections === 2 ? r : undefined;
      },
      60_000,
      "the re-learned table after the merge",
    );
    // the bug's words ("chicago") now lead to the code its fix changed
    expect(targetsOf(fixed, "chicago").get("localdaystart")).toBeGreaterThan(0);

    const { createAdminClient } = await import("@/lib/supabase/admin");
    const { workspaceBridge } = await import("@/lib/pipeline/jobs/vocabulary/bridge-cache");
    const admin = await createAdminClient({ reason: "test: the mapping's bridge", organizationId });
    const bridge = await workspaceBridge(admin, organizationId, [{ repositoryId }]);
    expect(new Map(bridge?.words.get(stem("chicago")) ?? []).get("localdaystart")).toBeGreaterThan(
      0,
    );
    // merged over the shipped public table: its words are there too
    expect(new Map(bridge?.words.get(stem("timezone")) ?? []).get("utc")).toBeGreaterThan(0);
    // a workspace without a learned table maps with the shipped one alone
    expect(
      await workspaceBridge(admin, organizationId, [{ repositoryId: randomUUID() }]),
    ).toBeNull();
  }, 150_000);
});
