import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type DeployVerdict, stackVerdict } from "../deploy-ancestry";

/**
 * The "Shipped" view: bugs whose fix runs in production (every pull request of the bug's stack
 * shipped, per deploy detection), newest first, with the RCA's status. Read as the member (RLS).
 */

export interface ShippedBug {
  bugId: string;
  title: string;
  severity: string;
  shippedAt: string;
  deployedSha: string | null;
  pullRequests: { repository: string; number: number; url: string }[];
  rcaStatus: string | null;
  tickets: number;
}

export async function listShippedBugs(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<ShippedBug[]> {
  const { data: shipped, error } = await supabase
    .from("pull_requests")
    .select("bug_id")
    .eq("organization_id", organizationId)
    .eq("deploy_state", "shipped")
    .order("shipped_at", { ascending: false })
    .limit(500);
  if (error) throw error;
  const bugIds = [...new Set((shipped ?? []).map((r) => r.bug_id))].slice(0, 200);
  if (!bugIds.length) return [];
  const [prs, bugs, rcas, links] = await Promise.all([
    supabase
      .from("pull_requests")
      .select("bug_id, repository_full_name, number, url, deploy_state, shipped_at, deployed_sha")
      .eq("organization_id", organizationId)
      .in("bug_id", bugIds),
    supabase
      .from("bugs")
      .select("id, title, severity")
      .eq("organization_id", organizationId)
      .in("id", bugIds),
    supabase
      .from("rcas")
      .select("bug_id, status")
      .eq("organization_id", organizationId)
      .in("bug_id", bugIds),
    supabase
      .from("bug_tickets")
      .select("bug_id")
      .eq("organization_id", organizationId)
      .in("bug_id", bugIds),
  ]);
  for (const r of [prs, bugs, rcas, links]) if (r.error) throw r.error;
  const out: ShippedBug[] = [];
  for (const bug of bugs.data ?? []) {
    const stack = (prs.data ?? []).filter((p) => p.bug_id === bug.id);
    if (stackVerdict(stack.map((p) => p.deploy_state as DeployVerdict)) !== "shipped") continue;
    const last = stack
      .filter((p) => p.shipped_at)
      .sort((a, b) => Date.parse(b.shipped_at ?? "") - Date.parse(a.shipped_at ?? ""))[0];
    out.push({
      bugId: bug.id,
      title: bug.title,
      severity: bug.severity,
      shippedAt: last?.shipped_at ?? "",
      deployedSha: last?.deployed_sha ?? null,
      pullRequests: stack.map((p) => ({
        repository: p.repository_full_name,
        number: p.number,
        url: p.url,
      })),
      rcaStatus: (rcas.data ?? []).find((r) => r.bug_id === bug.id)?.status ?? null,
      tickets: (links.data ?? []).filter((l) => l.bug_id === bug.id).length,
    });
  }
  return out.sort((a, b) => Date.parse(b.shippedAt) - Date.parse(a.shippedAt));
}
