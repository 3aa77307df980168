import { randomUUID } from "node:crypto";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { giveRoomToBill } from "@/supabase/tests/helpers/room-to-bill";

/**
 * Pipeline rows in a persona's workspace, written as the pipeline jobs write them (service role,
 * here the database superuser): a selected, indexed repository; a ticket that became a Mapped
 * Bug with a code location; a noise ticket set aside with its reason; a bug held below the
 * mapping gate with an open review item. The chain that produces them from a sandbox webhook is
 * tested end to end in tests/integration/pipeline/ticket-to-bug.test.ts.
 */

export const COMMIT = "5f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b";

async function one<R>(sql: string, params: unknown[]): Promise<R> {
  const [row] = await asSuperuser<R>(sql, params);
  if (!row) throw new Error(`seed failed: ${sql.slice(0, 60)}`);
  return row;
}

export async function organizationId(slug: string): Promise<string> {
  return (await one<{ id: string }>("select id from public.organizations where slug = $1", [slug]))
    .id;
}

/** Gives `email`'s account `role` in the workspace (as an accepted invitation would). */
export async function addMember(slug: string, email: string, role: "member" | "viewer") {
  await asSuperuser(
    `insert into public.memberships (organization_id, user_id, role)
     select o.id, u.id, $3 from public.organizations o, auth.users u
      where o.slug = $1 and u.email = $2`,
    [slug, email, role],
  );
}

let repoOf = new Map<string, { id: string; fullName: string }>();

/** The workspace's demo repository, selected and indexed (created once per workspace). */
export async function indexedRepository(orgId: string) {
  const known = repoOf.get(orgId);
  if (known) return known;
  const existing = await asSuperuser<{ id: string; full_name: string }>(
    "select id, full_name from public.integration_repositories where organization_id = $1 limit 1",
    [orgId],
  );
  if (existing[0]) {
    const repo = { id: existing[0].id, fullName: existing[0].full_name };
    repoOf.set(orgId, repo);
    return repo;
  }
  const github = await one<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [orgId, String(Math.floor(Math.random() * 1e9))],
  );
  const repo = await one<{ id: string }>(
    `insert into public.integration_repositories (organization_id, integration_id,
       github_repository_id, full_name, default_branch, selected, head_sha)
     values ($1, $2, $3, 'acme/storefront', 'main', true, $4) returning id`,
    [orgId, github.id, Math.floor(Math.random() * 1e9) + 1, COMMIT],
  );
  await asSuperuser(
    `insert into public.code_indexes (organization_id, repository_id, repository_full_name, branch,
       commit_sha, status, files_done, files_total, languages, files_count, functions_count,
       lines_count, index_data, index_bytes, indexed_at, started_at)
     values ($1, $2, 'acme/storefront', 'main', $3, 'ready', 42, 42,
       '{"typescript": 30, "python": 12}', 42, 318, 9120, '{}', 2, now(), now())`,
    [orgId, repo.id, COMMIT],
  );
  const out = { id: repo.id, fullName: "acme/storefront" };
  repoOf.set(orgId, out);
  return out;
}

async function ticket(
  orgId: string,
  subject: string,
  status: string,
  classification: string,
  skipReason: string | null,
  messages: Array<[role: string, body: string]>,
) {
  const t = await one<{ id: string; external_id: string }>(
    `insert into public.tickets (organization_id, provider, external_id, subject, requester_name,
       provider_created_at, status, classification, skip_reason, language, processed_at)
     values ($1, 'zendesk', $2, $3, 'Casey Customer', now(), $4, $5, $6, 'en', now())
     returning id, external_id`,
    [orgId, String(Math.floor(Math.random() * 1e8)), subject, status, classification, skipReason],
  );
  let position = 0;
  for (const [role, body] of messages) {
    await asSuperuser(
      `insert into public.ticket_messages (organization_id, ticket_id, external_id, author_role,
         position, body, created_at)
       values ($1, $2, $3, $4, $5, $6, now())`,
      [orgId, t.id, `m${position}`, role, position, body],
    );
    position++;
  }
  return t;
}

export interface SeededBug {
  bugId: string;
  ticketId: string;
  title: string;
}

/** A ticket that became a bug (mapped, or in review below the mapping gate) with a location. */
export async function seedBug(
  orgId: string,
  options: { title?: string; review?: boolean } = {},
): Promise<SeededBug> {
  const repo = await indexedRepository(orgId);
  const tag = randomUUID().slice(0, 6);
  const title = options.title ?? `Recommendations show a blender already bought ${tag}`;
  const t = await ticket(orgId, title, options.review ? "review" : "bug", "bug", null, [
    [
      "customer",
      'I bought the Vortex blender last week and the "You may also like" box keeps recommending it. <script>alert("x")</script>',
    ],
    ["agent", "Thanks Casey, we are looking into it."],
  ]);
  const bug = await one<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, steps, expected, actual, feature,
       verbatim, verbatim_language, extraction_confidence, extraction_reasons, mapping_confidence,
       status, source_ticket_id)
     values ($1, $2, 'medium', $3, 'Items already bought are not recommended',
       'The bought blender is recommended', 'recommendations', $4, 'en', 0.82,
       $5, $6, 'review', $7) returning id`,
    [
      orgId,
      title,
      ["Buy the Vortex blender", "Open the product page of any kitchen item"],
      "I bought the Vortex blender last week and the box keeps recommending it.",
      ["has steps to reproduce", "expected and actual differ"],
      options.review ? 0.41 : 0.86,
      t.id,
    ],
  );
  await asSuperuser(
    "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
    [orgId, bug.id, t.id],
  );
  await asSuperuser(
    `insert into public.bug_locations (organization_id, bug_id, repository_id,
       repository_full_name, commit_sha, path, function_name, start_line, end_line, confidence,
       explanation, rank)
     values ($1, $2, $3, 'acme/storefront', $4, 'src/recommendations/similar.ts',
       'similarProducts', 14, 41, $5,
       'The ticket''s words "recommending", "already bought" match similarProducts, which ranks related items without excluding past orders.', 1),
            ($1, $2, $3, 'acme/storefront', $4, 'src/orders/history.ts', 'ordersOf', 8, 22, $6,
       'Past orders are read here; the title mentions a purchase.', 2)`,
    [orgId, bug.id, repo.id, COMMIT, options.review ? 0.41 : 0.86, 0.38],
  );
  if (options.review) {
    await asSuperuser(
      `insert into public.review_items (organization_id, bug_id, ticket_id, gate, reason)
       values ($1, $2, $3, 'mapping', 'Mapping confidence 0.41 is below the workspace''s gate 0.75; best guess src/recommendations/similar.ts (similarProducts).')`,
      [orgId, bug.id, t.id],
    );
  } else {
    // as the job does last: mapped, which meters it (billed_at by the database). The persona
    // workspaces collect more seeded bugs across specs than a trial's 10: give them an allowance,
    // or a later spec's bug would be held over allowance (docs/billing.md).
    await giveRoomToBill(orgId);
    await asSuperuser("update public.bugs set status = 'mapped' where id = $1", [bug.id]);
  }
  return { bugId: bug.id, ticketId: t.id, title };
}

/** A billing question set aside by the noise filter with its reason. */
export async function seedNoiseTicket(orgId: string) {
  const subject = `Refund for my last invoice ${randomUUID().slice(0, 6)}`;
  const t = await ticket(
    orgId,
    subject,
    "skipped",
    "billing",
    "A billing question (refund, charge or invoice), not a bug report.",
    [["customer", "Hi, I was charged twice this month. Can you refund the second charge?"]],
  );
  return { ticketId: t.id, subject };
}

export function resetSeedCache() {
  repoOf = new Map();
}

/**
 * Makes the workspace's seeded code index a real one: the demo repository's source
 * (devstack/demo-repo/source) indexed by the same builder the indexing job runs, so a re-map
 * through the app's jobs finds real files and functions. The counts shown on the Codebase page
 * stay as seeded.
 */
export async function useRealDemoIndex(orgId: string): Promise<void> {
  const [{ readdirSync, readFileSync, statSync }, path, { buildIndex }, { serializeIndex }] =
    await Promise.all([
      import("node:fs"),
      import("node:path"),
      import("@/lib/pipeline/code-index/builder"),
      import("@/lib/pipeline/code-index/serialize"),
    ]);
  const root = path.resolve("devstack/demo-repo/source");
  const walk = (dir: string): Array<{ path: string; size: number; read: () => Buffer }> =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return walk(full);
      const bytes = readFileSync(full);
      return [{ path: path.relative(root, full), size: bytes.length, read: () => bytes }];
    });
  const index = await buildIndex(walk(root), { repo: "acme/storefront" });
  const repo = await indexedRepository(orgId);
  await asSuperuser(
    "update public.code_indexes set index_data = $3, indexed_at = now() where organization_id = $1 and repository_id = $2",
    [orgId, repo.id, serializeIndex(index)],
  );
}
