import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control } from "@/tests/integration/sandboxes/helpers";
import { installGithub, releaseSharedSandboxAccounts, usePipelineEnv } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * An edit re-runs mapping (issue 14), through the devstack executor: a repository of our own is
 * indexed, a Mapped Bug pinned to the cart code is edited by its owner into a search bug (the
 * page's write module, as the signed-in member), the page's `bug/edited` goes out, and
 * `remap-bug` replaces the locations with the search code's, keeping status and billed_at. A bug
 * in review gets its mapping item's reason rewritten; an older edit's late answer changes nothing.
 */

const APP_ID = "pipeline-remap-test";
const owner = `plremap${randomUUID().slice(0, 6)}`;
const fullName = `${owner}/shop`;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let work: string;
let user: ApiUser;
let organizationId: string;
let repositoryId: string;
let commitSha: string;
let mutations: typeof import("@/lib/pipeline-data/mutations");
let remap: typeof import("@/lib/pipeline-data/remap");
let bugs: typeof import("@/lib/pipeline-data/bugs");
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const git = (...args: string[]) =>
  execFileSync("git", ["-C", work, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });

const FILES: Record<string, string> = {
  "src/cart/discount.ts": `/** Applies a discount code to the cart total. */
export function applyDiscountCode(total: number, code: string): number {
  // percentage discount codes reduce the cart total
  if (code.startsWith("PCT")) return total * 0.9;
  return total;
}
`,
  "src/search/query.ts": `/** Parses the search box query into terms; quoted phrases stay together. */
export function parseSearchQuery(query: string): string[] {
  // search terms split on spaces, quotes keep a phrase
  return query.split(" ").filter(Boolean);
}
`,
  "src/account/profile.ts": `/** Saves the account profile name and avatar. */
export function saveProfileName(name: string): string {
  return name.trim();
}
`,
  "src/shipping/rates.ts": `/** Shipping rates per country and weight. */
export function shippingRate(country: string, weight: number): number {
  return country === "US" ? weight * 2 : weight * 3;
}
`,
};

const as = (u: ApiUser) => u.client as unknown as ServerSupabaseClient;

async function locations(bugId: string) {
  return asSuperuser<{
    path: string;
    function_name: string | null;
    rank: number;
    mismapped: boolean;
    mismapped_reason: string | null;
  }>(
    "select path, function_name, rank, mismapped, mismapped_reason from public.bug_locations where bug_id = $1 order by rank",
    [bugId],
  );
}

async function bugRow(bugId: string) {
  const [row] = await asSuperuser<{
    status: string;
    billed_at: Date | null;
    edited_at: Date | null;
    remapped_edit_at: Date | null;
    mapping_confidence: string | null;
  }>(
    "select status, billed_at, edited_at, remapped_edit_at, mapping_confidence from public.bugs where id = $1",
    [bugId],
  );
  if (!row) throw new Error("bug gone");
  return row;
}

/** A bug as the pipeline leaves it, pinned to the cart discount code. */
async function cartBug(status: "mapped" | "review"): Promise<string> {
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, steps, expected, actual, feature,
       verbatim, extraction_confidence, mapping_confidence, status)
     values ($1, 'Discount code not applied to the cart total', 'high',
       '{"Add an item to the cart","Enter discount code PCT10"}', 'The cart total drops 10%',
       'The total stays the same', 'cart discount', 'my discount code does nothing',
       0.8, 0.8, $2) returning id`,
    [organizationId, status],
  );
  if (!bug) throw new Error("bug not created");
  await asSuperuser(
    `insert into public.bug_locations (organization_id, bug_id, repository_id,
       repository_full_name, commit_sha, path, function_name, start_line, end_line, confidence,
       explanation, rank, mismapped, mismapped_reason)
     values ($1, $2, $3, $4, $5, 'src/cart/discount.ts', 'applyDiscountCode', 2, 6, 0.8, 'seed', 1, false, null),
            ($1, $2, $3, $4, $5, 'src/search/query.ts', 'parseSearchQuery', 2, 5, 0.3, 'seed', 2, true, 'It is the cart')`,
    [organizationId, bug.id, repositoryId, fullName, commitSha],
  );
  if (status === "review") {
    await asSuperuser(
      `insert into public.review_items (organization_id, bug_id, gate, reason)
       values ($1, $2, 'mapping', 'Mapping confidence 0.40 is below the gate')`,
      [organizationId, bug.id],
    );
  }
  return bug.id;
}

const searchEdit = (bugId: string) => ({
  bugId,
  title: "Search query with a quoted phrase returns nothing",
  severity: "medium" as const,
  steps: ["Type a quoted phrase in the search box", "Press enter"],
  expected: "Search results for the phrase",
  actual: "No search results; the query terms are split",
  feature: "search query",
  impact: null,
});

async function editAndWait(bugId: string) {
  const { editedAt } = await mutations.updateBug(as(user), organizationId, searchEdit(bugId));
  expect(editedAt).not.toBeNull();
  // between the save and the job, the page says "re-mapping…"
  const before = await bugs.getBug(as(user), organizationId, bugId);
  expect(before && remap.isRemapping(before)).toBe(true);
  await remap.requestRemap(organizationId, bugId, editedAt ?? "");
  await waitFor(
    async () => {
      const r = await bugRow(bugId);
      return r.remapped_edit_at && r.remapped_edit_at.getTime() === r.edited_at?.getTime()
        ? r
        : undefined;
    },
    60_000,
    "re-map of the edit",
  );
  const after = await bugs.getBug(as(user), organizationId, bugId);
  expect(after && remap.isRemapping(after)).toBe(false);
  return editedAt ?? "";
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  const events = await import("@/inngest/events");
  [mutations, remap, bugs] = await Promise.all([
    import("@/lib/pipeline-data/mutations"),
    import("@/lib/pipeline-data/remap"),
    import("@/lib/pipeline-data/bugs"),
  ]);
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [indexing, remapping] = await Promise.all([
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/remap-bug"),
  ]);
  app = await serveApp(inngest, [
    indexing.defineIndexRepository(inngest),
    remapping.defineRemapBug(inngest),
  ]);
  await syncApp(executorUrl(), app.url);

  work = mkdtempSync(path.join(os.tmpdir(), "pl-remap-"));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), text);
  }
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "shop");
  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: work,
    full_name: fullName,
  });
  expect(added.status).toBeLessThan(300);
  const installationId = await installGithub(owner);

  user = await signedInUser("pl-remap");
  const created = await user.client.rpc("create_organization", {
    p_name: "Remap",
    p_slug: `pl-remap-${randomUUID().slice(0, 8)}`,
  });
  if (created.error) throw new Error(created.error.message);
  organizationId = (created.data as { id: string }).id;
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [organizationId, integration?.id, added.json.repository.id, fullName],
  );
  if (!repo) throw new Error("repository not created");
  repositoryId = repo.id;
  await inngest.send(events.repositorySelected.create({ organizationId, repositoryId }));
  const ready = await waitFor(
    async () => {
      const [r] = await asSuperuser<{ status: string; commit_sha: string | null }>(
        "select status, commit_sha from public.code_indexes where repository_id = $1",
        [repositoryId],
      );
      return r?.status === "ready" ? r : undefined;
    },
    60_000,
    "index",
  );
  commitSha = ready.commit_sha ?? "";
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("remap-bug", () => {
  it("re-maps an edited Mapped Bug to the code the edit describes, never metering it again", async () => {
    const bugId = await cartBug("mapped");
    const before = await bugRow(bugId);
    expect(before.billed_at).not.toBeNull();
    expect((await locations(bugId))[0]?.path).toBe("src/cart/discount.ts");

    await editAndWait(bugId);
    const after = await bugRow(bugId);
    const rows = await locations(bugId);
    expect(rows[0]).toMatchObject({
      path: "src/search/query.ts",
      function_name: "parseSearchQuery",
    });
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    // the person's mismapped mark on the search location stays with it
    expect(rows[0]).toMatchObject({ mismapped: true, mismapped_reason: "It is the cart" });
    expect(after.status).toBe("mapped");
    expect(after.billed_at?.getTime()).toBe(before.billed_at?.getTime());
    expect(Number(after.mapping_confidence)).toBeGreaterThan(0);

    const run = await waitFor(
      async () =>
        (await runsOf(executorUrl(), `${APP_ID}-remap-bug`)).find((r) => r.status === "completed"),
      10_000,
      "the remap run",
    );
    // the step's stored output names counts and statuses, never the bug's text
    expect(JSON.stringify(run.output)).not.toContain("quoted phrase");
  }, 90_000);

  it("a bug in review keeps its status, and its mapping item says the new figures", async () => {
    const bugId = await cartBug("review");
    await editAndWait(bugId);
    expect((await bugRow(bugId)).status).toBe("review");
    expect((await bugRow(bugId)).billed_at).toBeNull();
    const [item] = await asSuperuser<{ reason: string; status: string }>(
      "select reason, status from public.review_items where bug_id = $1 and gate = 'mapping'",
      [bugId],
    );
    expect(item?.status).toBe("open");
    expect(item?.reason).toMatch(/^After the edit, mapping confidence \d\.\d\d (is below|reaches)/);
    expect(item?.reason).toContain("src/search/query.ts");
  }, 90_000);

  it("an older edit's late answer changes nothing, and members cannot call the replacement", async () => {
    const bugId = await cartBug("mapped");
    const stale = new Date(Date.now() - 60_000).toISOString();
    await mutations.updateBug(as(user), organizationId, searchEdit(bugId));
    const [res] = await asSuperuser<{ n: number | null }>(
      "select public.replace_bug_locations($1, $2, $3, 0.1, '[]'::jsonb) as n",
      [organizationId, bugId, stale],
    );
    expect(res?.n).toBe(-1);
    expect(await locations(bugId)).toHaveLength(2);
    const denied = await user.client.rpc("replace_bug_locations", {
      p_organization_id: organizationId,
      p_bug_id: bugId,
      p_edited_at: null,
      p_mapping_confidence: null,
      p_locations: [],
    });
    expect(denied.error).not.toBeNull();
    expect(await locations(bugId)).toHaveLength(2);
  });
});
