import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { buildPagesWorld, type PagesWorld, type SeededBug, seedBugs } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * The pipeline pages' read and write modules (lib/pipeline-data) against the devstack, as the
 * pages call them: a supabase-js client acting as the signed-in member, so RLS and the column
 * grants decide. Keyset pages cover every bug once, filters narrow in the database, another
 * workspace's rows are "not found", viewers cannot correct bugs (but may flag a mapping as
 * mismapped), and accepting a review item meters
 * the bug exactly once.
 */

let w: PagesWorld;
let bugs: SeededBug[];
let bugsB: SeededBug[];
let data: typeof import("@/lib/pipeline-data/bugs");
let tickets: typeof import("@/lib/pipeline-data/tickets");
let review: typeof import("@/lib/pipeline-data/review");
let mutations: typeof import("@/lib/pipeline-data/mutations");
let cursor: typeof import("@/lib/pipeline-data/cursor");
let codebase: typeof import("@/lib/pipeline-data/codebase");
let exists: typeof import("@/lib/pipeline-data/exists");

const as = (u: { client: unknown }) => u.client as ServerSupabaseClient;

beforeAll(async () => {
  w = await buildPagesWorld();
  // 60 bugs in A (two repositories), created a second apart; 1 in B
  bugs = [
    ...(await seedBugs(w.orgA, w.repoA, 52, { title: (i) => `Cart total wrong ${i}` })),
    ...(await seedBugs(w.orgA, w.repoA2, 8, {
      title: (i) => `Search 100% broken ${i}`,
      from: 100,
    })),
  ];
  bugsB = await seedBugs(w.orgB, w.repoB, 1, { title: () => "B's secret bug" });
  [data, tickets, review, mutations, cursor, codebase, exists] = await Promise.all([
    import("@/lib/pipeline-data/bugs"),
    import("@/lib/pipeline-data/tickets"),
    import("@/lib/pipeline-data/review"),
    import("@/lib/pipeline-data/mutations"),
    import("@/lib/pipeline-data/cursor"),
    import("@/lib/pipeline-data/codebase"),
    import("@/lib/pipeline-data/exists"),
  ]);
}, 120_000);

afterAll(async () => {
  await closeDb();
});

describe("bugs list", () => {
  it("pages through every bug once, newest first, and back", async () => {
    const seen: string[] = [];
    const pages: string[][] = [];
    let after: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await data.listBugs(
        as(w.member),
        w.orgA,
        {},
        { after: cursor.decodeCursor(after) },
      );
      pages.push(page.rows.map((r) => r.id));
      seen.push(...page.rows.map((r) => r.id));
      if (n === 0) expect(page.previous).toBeUndefined();
      else expect(page.previous).toBeDefined();
      after = page.next;
      if (!after) break;
    }
    expect(pages.map((p) => p.length)).toEqual([25, 25, 10]);
    expect(seen).toEqual([...bugs].reverse().map((b) => b.id));
    // back from the third page gives the second
    const third = await data.listBugs(
      as(w.member),
      w.orgA,
      {},
      {
        after: cursor.decodeCursor(
          (
            await data.listBugs(
              as(w.member),
              w.orgA,
              {},
              {
                after: cursor.decodeCursor((await data.listBugs(as(w.member), w.orgA, {})).next),
              },
            )
          ).next,
        ),
      },
    );
    const back = await data.listBugs(
      as(w.member),
      w.orgA,
      {},
      {
        before: cursor.decodeCursor(third.previous),
      },
    );
    expect(back.rows.map((r) => r.id)).toEqual(pages[1]);
    expect(back.next).toBeDefined();
    expect(back.previous).toBeDefined();
  });

  it("keeps rows with the same timestamp apart by id", async () => {
    const same = await seedBugs(w.orgB, w.repoB, 30, { sameTime: true });
    const first = await data.listBugs(as(w.outsider), w.orgB, { q: "Seeded" });
    const second = await data.listBugs(
      as(w.outsider),
      w.orgB,
      { q: "Seeded" },
      {
        after: cursor.decodeCursor(first.next),
      },
    );
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(30);
    expect(ids.sort()).toEqual(same.map((b) => b.id).sort());
  });

  it("filters by status, severity, repository and title words in the query", async () => {
    const review = await data.listBugs(as(w.member), w.orgA, { status: "review" });
    expect(review.rows.length).toBeGreaterThan(0);
    expect(review.rows.every((r) => r.status === "review")).toBe(true);
    const critical = await data.listBugs(as(w.member), w.orgA, { severity: "critical" });
    expect(critical.rows.every((r) => r.severity === "critical")).toBe(true);
    const repo2 = await data.listBugs(as(w.member), w.orgA, { repository: w.repoA2.fullName });
    expect(repo2.rows).toHaveLength(8);
    expect(repo2.rows.every((r) => r.top?.repository === w.repoA2.fullName)).toBe(true);
    // "%" is a character, not a wildcard: "0% " matches only the search titles
    const pct = await data.listBugs(as(w.member), w.orgA, { q: "100% broken" });
    expect(pct.rows).toHaveLength(8);
    const none = await data.listBugs(as(w.member), w.orgA, { q: "l%t" });
    expect(none.rows).toHaveLength(0);
    const secret = await data.listBugs(as(w.member), w.orgA, { q: "secret" });
    expect(secret.rows).toHaveLength(0);
  });

  it("an outsider sees nothing of workspace A", async () => {
    const page = await data.listBugs(as(w.outsider), w.orgA, {});
    expect(page.rows).toHaveLength(0);
  });
});

describe("bug detail and edits", () => {
  it("reads a bug with its location and ticket; another workspace's bug is not found", async () => {
    const b = bugs[5] as SeededBug;
    const bug = await data.getBug(as(w.viewer), w.orgA, b.id);
    expect(bug?.title).toBe(b.title);
    expect(bug?.locations[0]).toMatchObject({
      path: "src/cart/total.ts",
      functionName: "cartTotal",
      startLine: 10,
      endLine: 24,
      confidence: 0.75,
    });
    expect(bug?.tickets.map((t) => t.id)).toEqual([b.ticketId]);
    expect(await data.getBug(as(w.member), w.orgA, (bugsB[0] as SeededBug).id)).toBeNull();
    expect(await data.getBug(as(w.member), w.orgB, (bugsB[0] as SeededBug).id)).toBeNull();
    const link = data.githubLinesUrl("https://github.example/", bug?.locations[0] as never);
    expect(link).toBe(
      `https://github.example/${w.repoA.fullName}/blob/89abcdef0123456789abcdef0123456789abcdef/src/cart/total.ts#L10-L24`,
    );
  });

  it("a member saves a correction (stamped by the database); a viewer and an outsider cannot", async () => {
    const b = bugs[6] as SeededBug;
    const edit = {
      bugId: b.id,
      title: "Cart total rounds down",
      severity: "high" as const,
      steps: ["Add two items", "Open the cart"],
      expected: "12.35",
      actual: "12.34",
      feature: "cart",
      impact: null,
    };
    await expect(mutations.updateBug(as(w.viewer), w.orgA, edit)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(mutations.updateBug(as(w.outsider), w.orgA, edit)).rejects.toMatchObject({
      code: "not_found",
    });
    await mutations.updateBug(as(w.member), w.orgA, edit);
    const [row] = await asSuperuser<{ title: string; steps: string[]; edited_by: string }>(
      "select title, steps, edited_by from public.bugs where id = $1",
      [b.id],
    );
    expect(row).toEqual({ title: edit.title, steps: edit.steps, edited_by: w.member.id });
    // another workspace's bug id through A's slug: not found, unchanged
    await expect(
      mutations.updateBug(as(w.member), w.orgA, { ...edit, bugId: (bugsB[0] as SeededBug).id }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("marks a location mismapped with a reason and clears it", async () => {
    const b = bugs[7] as SeededBug;
    const mark = {
      bugId: b.id,
      locationId: b.locationId,
      reason: "The total is computed elsewhere",
    };
    // any role may flag a mapping as wrong (issue 18), viewers included
    await mutations.setMismapped(as(w.viewer), w.orgA, mark);
    let bug = await data.getBug(as(w.member), w.orgA, b.id);
    expect(bug?.locations[0]).toMatchObject({ mismapped: true, mismappedReason: mark.reason });
    await mutations.setMismapped(as(w.member), w.orgA, { ...mark, reason: null });
    await mutations.setMismapped(as(w.member), w.orgA, mark);
    bug = await data.getBug(as(w.member), w.orgA, b.id);
    expect(bug?.locations[0]).toMatchObject({ mismapped: true, mismappedReason: mark.reason });
    await mutations.setMismapped(as(w.member), w.orgA, { ...mark, reason: null });
    bug = await data.getBug(as(w.member), w.orgA, b.id);
    expect(bug?.locations[0]).toMatchObject({ mismapped: false, mismappedReason: null });
  });
});

describe("review queue", () => {
  it("accepting meters the bug once and resolves both gates; a second decision conflicts", async () => {
    const [b] = await seedBugs(w.orgA, w.repoA, 1, {
      status: "review",
      title: () => "Held bug",
      from: 200,
    });
    if (!b) throw new Error("no bug");
    const items = await asSuperuser<{ id: string }>(
      `insert into public.review_items (organization_id, bug_id, ticket_id, gate, reason)
       values ($1, $2, $3, 'extraction', 'extraction confidence 0.50 is below the gate 0.70'),
              ($1, $2, $3, 'mapping', 'mapping confidence 0.40 is below the gate 0.70')
       returning id`,
      [w.orgA, b.id, b.ticketId],
    );
    const open = await review.listReviewItems(as(w.viewer), w.orgA, "open");
    // one row for the bug, both gates on it (the decision is about the bug)
    const rows = open.filter((i) => i.bug?.id === b.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.gates.map((g) => g.gate).sort()).toEqual(["extraction", "mapping"]);
    expect(await review.countOpenReviewItems(as(w.viewer), w.orgA)).toBeGreaterThanOrEqual(2);
    const first = items[0]?.id ?? "";
    await expect(
      mutations.resolveReviewItem(as(w.viewer), w.orgA, { itemId: first, decision: "accepted" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await mutations.resolveReviewItem(as(w.member), w.orgA, {
      itemId: first,
      decision: "accepted",
    });
    const [bug] = await asSuperuser<{ status: string; billed_at: Date | null }>(
      "select status, billed_at from public.bugs where id = $1",
      [b.id],
    );
    expect(bug?.status).toBe("mapped");
    expect(bug?.billed_at).toBeInstanceOf(Date);
    const left = await asSuperuser<{ status: string }>(
      "select status from public.review_items where bug_id = $1",
      [b.id],
    );
    expect(left.map((i) => i.status)).toEqual(["accepted", "accepted"]);
    await expect(
      mutations.resolveReviewItem(as(w.member), w.orgA, { itemId: first, decision: "dismissed" }),
    ).rejects.toMatchObject({ code: "conflict" });
    const [again] = await asSuperuser<{ billed_at: Date | null }>(
      "select billed_at from public.bugs where id = $1",
      [b.id],
    );
    expect(again?.billed_at?.getTime()).toBe(bug?.billed_at?.getTime());
  });
});

describe("tickets", () => {
  it("lists, searches by subject or number, exports and reads the thread in order", async () => {
    const page = await tickets.listTickets(as(w.viewer), w.orgA, {});
    expect(page.rows).toHaveLength(25);
    expect(page.rows[0]?.bugId).toBeDefined();
    const search = await tickets.listTickets(as(w.viewer), w.orgA, { q: "Search 100%" });
    expect(search.rows).toHaveLength(8);
    const all = await tickets.ticketsForExport(as(w.viewer), w.orgA, {});
    expect(all.length).toBeGreaterThanOrEqual(61);
    expect(all.some((t) => t.subject.includes("secret"))).toBe(false);
    const b = bugs[3] as SeededBug;
    const t = await tickets.getTicket(as(w.viewer), w.orgA, b.ticketId);
    expect(t?.messages.map((m) => m.authorRole)).toEqual(["customer", "agent"]);
    expect(t?.messages[0]?.body).toContain("<script>");
    expect(t?.bug?.id).toBe(b.id);
    expect(
      await tickets.getTicket(as(w.member), w.orgA, (bugsB[0] as SeededBug).ticketId),
    ).toBeNull();
    expect(await exists.ticketExists(as(w.member), w.orgA, (bugsB[0] as SeededBug).ticketId)).toBe(
      false,
    );
    expect(await exists.ticketExists(as(w.member), w.orgA, b.ticketId)).toBe(true);
    expect(await exists.bugExists(as(w.viewer), w.orgA, b.id)).toBe(true);
    expect(await exists.bugExists(as(w.member), w.orgA, (bugsB[0] as SeededBug).id)).toBe(false);
    expect(await exists.bugExists(as(w.member), w.orgA, "not-a-uuid")).toBe(false);
  });
});

describe("codebase", () => {
  it("lists selected repositories, indexed or not, without the serialized index", async () => {
    await asSuperuser(
      `insert into public.code_indexes (organization_id, repository_id, repository_full_name,
         branch, target_sha, status, files_done, files_total, languages)
       values ($1, $2, $3, 'main', $4, 'indexing', 40, 120, '{"typescript": 30}')`,
      [w.orgA, w.repoA.id, w.repoA.fullName, "89abcdef0123456789abcdef0123456789abcdef"],
    );
    const repos = await codebase.listRepositoryIndexes(as(w.viewer), w.orgA);
    const indexing = repos.find((r) => r.repositoryId === w.repoA.id);
    expect(indexing).toMatchObject({ status: "indexing", filesDone: 40, filesTotal: 120 });
    expect(repos.find((r) => r.repositoryId === w.repoA2.id)?.status).toBe("not_indexed");
    expect(await codebase.listRepositoryIndexes(as(w.outsider), w.orgA)).toEqual([]);
  });
});
