import { randomUUID } from "node:crypto";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { giveRoomToBill } from "@/supabase/tests/helpers/room-to-bill";

/**
 * Two workspaces for the pipeline pages' read and write modules, with real signed-in API
 * clients (the pages' Supabase client is the same supabase-js, acting as the member through the
 * gateway, so RLS and the column grants decide): A has an owner, a member and a viewer; B is
 * the outsider's. Pipeline rows are written as the superuser (the jobs' writes).
 */

export const SHA = "89abcdef0123456789abcdef0123456789abcdef";

export interface PagesWorld {
  owner: ApiUser;
  member: ApiUser;
  viewer: ApiUser;
  outsider: ApiUser;
  orgA: string;
  orgB: string;
  repoA: { id: string; fullName: string };
  repoA2: { id: string; fullName: string };
  repoB: { id: string; fullName: string };
}

async function one<R>(sql: string, params: unknown[]): Promise<R> {
  const [row] = await asSuperuser<R>(sql, params);
  if (!row) throw new Error(`fixture not created: ${sql.slice(0, 60)}`);
  return row;
}

async function createOrg(user: ApiUser, label: string): Promise<string> {
  const { data, error } = await user.client.rpc("create_organization", {
    p_name: `Pages ${label}`,
    p_slug: `pages-${label}-${randomUUID().slice(0, 8)}`,
  });
  if (error) throw new Error(`create_organization: ${error.message}`);
  const id = (data as { id: string }).id;
  // dozens of seeded Mapped Bugs: billed, not held past a trial's 10
  await giveRoomToBill(id);
  return id;
}

async function join(owner: ApiUser, orgId: string, user: ApiUser, role: "member" | "viewer") {
  const inv = await owner.client.rpc("create_invitation", {
    p_organization_id: orgId,
    p_email: user.email,
    p_role: role,
  });
  if (inv.error) throw new Error(`create_invitation: ${inv.error.message}`);
  const token = (inv.data as Array<{ token: string }>)[0]?.token ?? "";
  const acc = await user.client.rpc("accept_invitation", { p_token: token });
  if (acc.error) throw new Error(`accept_invitation: ${acc.error.message}`);
}

const githubOf = new Map<string, string>();

/** A selected repository under the workspace's one GitHub integration. */
export async function repository(orgId: string, name: string) {
  let githubId = githubOf.get(orgId);
  if (!githubId) {
    ({ id: githubId } = await one<{ id: string }>(
      `insert into public.integrations (organization_id, provider, external_account_id)
       values ($1, 'github', $2) returning id`,
      [orgId, `${Date.now() % 1_000_000_000}${Math.floor(Math.random() * 100000)}`],
    ));
    githubOf.set(orgId, githubId);
  }
  const fullName = `${name}-${randomUUID().slice(0, 6)}/shop`;
  const { id } = await one<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [orgId, githubId, Math.floor(Math.random() * 1e9) + 1, fullName],
  );
  return { id, fullName };
}

export async function buildPagesWorld(): Promise<PagesWorld> {
  const [owner, member, viewer, outsider] = await Promise.all([
    signedInUser("pages-owner"),
    signedInUser("pages-member"),
    signedInUser("pages-viewer"),
    signedInUser("pages-outsider"),
  ]);
  const orgA = await createOrg(owner, "a");
  const orgB = await createOrg(outsider, "b");
  await join(owner, orgA, member, "member");
  await join(owner, orgA, viewer, "viewer");
  return {
    owner,
    member,
    viewer,
    outsider,
    orgA,
    orgB,
    repoA: await repository(orgA, "acme"),
    repoA2: await repository(orgA, "other"),
    repoB: await repository(orgB, "bee"),
  };
}

export interface SeededBug {
  id: string;
  title: string;
  ticketId: string;
  locationId: string;
}

/**
 * `count` bugs (each with its ticket, a customer and an agent message, and one rank-1
 * location), created one second apart, newest last, in the given status/severity rotation.
 */
export async function seedBugs(
  orgId: string,
  repo: { id: string; fullName: string },
  count: number,
  options: {
    status?: string;
    severity?: string;
    title?: (i: number) => string;
    sameTime?: boolean;
    /** the first bug's second of 2026-01-01 (so batches do not share timestamps) */
    from?: number;
  } = {},
): Promise<SeededBug[]> {
  const out: SeededBug[] = [];
  const severities = ["critical", "high", "medium", "low"];
  for (let i = 0; i < count; i++) {
    const title = options.title?.(i) ?? `Seeded bug ${i}`;
    const at = options.sameTime
      ? "2026-01-01T00:00:00Z"
      : new Date(Date.UTC(2026, 0, 1, 0, 0, (options.from ?? 0) + i)).toISOString();
    const ticket = await one<{ id: string }>(
      `insert into public.tickets (organization_id, provider, external_id, subject,
         provider_created_at, received_at, status, classification, language)
       values ($1, 'zendesk', $2, $3, $4, $4, 'bug', 'bug', 'en') returning id`,
      [orgId, `${randomUUID().slice(0, 12)}`, title, at],
    );
    await asSuperuser(
      `insert into public.ticket_messages
         (organization_id, ticket_id, external_id, author_role, position, body, created_at)
       values ($1, $2, 'c2', 'agent', 1, 'Thanks, looking into it', $3),
              ($1, $2, 'c1', 'customer', 0, $4, $3)`,
      [orgId, ticket.id, at, `<script>alert(1)</script> ${title}`],
    );
    const status = options.status ?? (i % 3 === 0 ? "review" : "mapped");
    const bug = await one<{ id: string }>(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence,
         mapping_confidence, status, source_ticket_id, created_at)
       values ($1, $2, $3, 0.8, 0.75, $4, $5, $6) returning id`,
      [orgId, title, options.severity ?? severities[i % 4], status, ticket.id, at],
    );
    await asSuperuser(
      "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
      [orgId, bug.id, ticket.id],
    );
    const location = await one<{ id: string }>(
      `insert into public.bug_locations (organization_id, bug_id, repository_id,
         repository_full_name, commit_sha, path, function_name, start_line, end_line, confidence,
         explanation, rank)
       values ($1, $2, $3, $4, $5, 'src/cart/total.ts', 'cartTotal', 10, 24, 0.75,
         'The title names the cart total', 1) returning id`,
      [orgId, bug.id, repo.id, repo.fullName, SHA],
    );
    out.push({ id: bug.id, title, ticketId: ticket.id, locationId: location.id });
  }
  return out;
}
