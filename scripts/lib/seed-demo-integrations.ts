import type { User } from "@supabase/supabase-js";
import { repositorySelected } from "@/inngest/events";
import type { OrganizationSummary } from "@/lib/auth/organization";
import { completeGitHubConnect, completeZendeskConnect } from "@/lib/integrations/complete-connect";
import { readLiveIntegration } from "@/lib/integrations/connections";
import { githubInstallUrl } from "@/lib/integrations/github/connect";
import { githubAppConfig, redirectUri, zendeskConfig } from "@/lib/integrations/provider-config";
import { zendeskAuthorizeUrl } from "@/lib/integrations/zendesk/connect";
import { createAdminClient } from "@/lib/supabase/admin";
import { DEMO_GITHUB_ACCOUNT, DEMO_ZENDESK_SUBDOMAIN } from "./seed-demo";

/**
 * The demo workspace's integrations, connected through the same code the Settings → Integrations
 * callbacks run (lib/integrations/complete-connect.ts), so the rows, sealed secrets, webhook and
 * audit entries are exactly what a person clicking through would leave. The only thing done here
 * instead of a browser is the provider's consent page: the sandbox's own form, submitted as is.
 *
 * Reads the app's environment (lib/env.ts) from process.env: run it with the devstack's env file
 * loaded and the `react-server` condition (the modules are `server-only`), as scripts/dev.ts does.
 */

export interface DemoCaller {
  user: User;
  org: OrganizationSummary;
}

/** The hidden inputs of the sandbox's consent form, as a browser would post them back. */
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1] ?? ""] = (m[2] ?? "")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
  }
  return out;
}

/** Opens a consent page and answers it; returns the redirect the provider sent back. */
async function consent(pageUrl: string, answer: Record<string, string>): Promise<URL> {
  const page = await fetch(pageUrl);
  if (!page.ok) throw new Error(`seed: consent page ${page.status}`);
  const action = new URL(pageUrl);
  action.search = "";
  const res = await fetch(action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...hiddenFields(await page.text()), ...answer }).toString(),
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (!location) throw new Error(`seed: consent answered ${res.status} without a redirect`);
  return new URL(location);
}

async function connectZendesk(caller: DemoCaller): Promise<"connected" | "already"> {
  const admin = await createAdminClient({
    reason: "demo seed: is Zendesk connected",
    organizationId: caller.org.id,
  });
  if (await readLiveIntegration(admin, caller.org.id, "zendesk")) return "already";
  const back = await consent(
    zendeskAuthorizeUrl(zendeskConfig(), DEMO_ZENDESK_SUBDOMAIN, {
      redirectUri: redirectUri("zendesk"),
      state: "demo-seed",
    }),
    { decision: "allow" },
  );
  const code = back.searchParams.get("code");
  if (!code) throw new Error("seed: the Zendesk sandbox gave no code");
  await completeZendeskConnect(caller, DEMO_ZENDESK_SUBDOMAIN, code);
  return "connected";
}

async function connectGitHub(caller: DemoCaller): Promise<"connected" | "already"> {
  const admin = await createAdminClient({
    reason: "demo seed: is GitHub installed",
    organizationId: caller.org.id,
  });
  if (await readLiveIntegration(admin, caller.org.id, "github")) return "already";
  const config = githubAppConfig();
  const install = new URL(githubInstallUrl(config.webBase, config.slug, "demo-seed"));
  install.searchParams.set("account", DEMO_GITHUB_ACCOUNT);
  const back = await consent(install.toString(), {
    account: DEMO_GITHUB_ACCOUNT,
    selection: "all",
    decision: "install",
  });
  const installationId = Number(back.searchParams.get("installation_id"));
  if (!Number.isInteger(installationId) || installationId <= 0) {
    throw new Error("seed: the GitHub sandbox gave no installation id");
  }
  await completeGitHubConnect(caller, installationId);
  return "connected";
}

export interface DemoRepositoryIndex {
  repositoryId: string;
  fullName: string;
  status: string | null;
  filesDone: number;
  filesTotal: number;
  commitSha: string | null;
}

/**
 * The selected repositories of the demo workspace's live GitHub installation and their index
 * state (null: never indexed).
 */
export async function demoRepositoryIndexes(
  organizationId: string,
): Promise<DemoRepositoryIndex[]> {
  const admin = await createAdminClient({
    reason: "demo seed: repository index status",
    organizationId,
  });
  const github = await readLiveIntegration(admin, organizationId, "github");
  if (!github) return [];
  // the live installation's: a disconnected one keeps its rows (and their old indexes)
  const { data: repos, error } = await admin
    .from("integration_repositories")
    .select("id, full_name")
    .eq("organization_id", organizationId)
    .eq("integration_id", github.id)
    .eq("selected", true)
    .order("full_name");
  if (error) throw new Error(`seed: repositories: ${error.message}`);
  const { data: indexes, error: indexError } = await admin
    .from("code_indexes")
    .select("repository_id, status, files_done, files_total, commit_sha")
    .eq("organization_id", organizationId);
  if (indexError) throw new Error(`seed: code indexes: ${indexError.message}`);
  return (repos ?? []).map((r) => {
    const index = indexes?.find((i) => i.repository_id === r.id);
    return {
      repositoryId: r.id,
      fullName: r.full_name,
      status: index?.status ?? null,
      filesDone: index?.files_done ?? 0,
      filesTotal: index?.files_total ?? 0,
      commitSha: index?.commit_sha ?? null,
    };
  });
}

/**
 * Asks for the first index of every selected repository that has none (or whose last attempt
 * failed), with the event the app's repository selection sends: the real `index-repository` job
 * runs on the executor and the Codebase page shows its progress. Returns the repositories asked.
 */
export async function requestDemoIndexes(organizationId: string): Promise<string[]> {
  const { inngest } = await import("@/inngest/client");
  const asked: string[] = [];
  for (const r of await demoRepositoryIndexes(organizationId)) {
    if (r.status !== null && r.status !== "error") continue;
    await inngest.send(repositorySelected.create({ organizationId, repositoryId: r.repositoryId }));
    asked.push(r.fullName);
  }
  return asked;
}

/** Connects Zendesk (subdomain `acme`) and the GitHub App (account `acme`), once. */
export async function connectDemoIntegrations(
  caller: DemoCaller,
): Promise<{ zendesk: "connected" | "already"; github: "connected" | "already" }> {
  const zendesk = await connectZendesk(caller);
  const github = await connectGitHub(caller);
  return { zendesk, github };
}
