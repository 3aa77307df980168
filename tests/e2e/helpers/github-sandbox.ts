import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { devstackEnv } from "./devstack";

/** A call to the provider sandboxes' control API (`/_control…`); throws on a non-2xx answer. */
export async function sandboxControl<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${devstackEnv("SANDBOX_URL")}/_control${p}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Installs the GitHub App on `account` as a person would on the sandbox's install page (its
 * hidden fields, then "Install" on all repositories); returns the installation id.
 */
export async function installGithubApp(account: string): Promise<string> {
  const sandbox = (p: string) => `${devstackEnv("SANDBOX_URL")}${p}`;
  const slug = devstackEnv("GITHUB_APP_SLUG");
  const page = await (
    await fetch(sandbox(`/github/web/apps/${slug}/installations/new?account=${account}`))
  ).text();
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[m[1] ?? ""] = (m[2] ?? "").replaceAll("&amp;", "&");
  const res = await fetch(sandbox(`/github/web/apps/${slug}/installations/new`), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, account, selection: "all", decision: "install" }),
    redirect: "manual",
  });
  const id = new URL(res.headers.get("location") ?? "").searchParams.get("installation_id");
  if (!id) throw new Error("install failed");
  return id;
}

/** An Octokit acting as the App's installation, as a test plays GitHub's side (CI, reviewers). */
export function installationOctokit(installationId: string): Octokit {
  return new Octokit({
    baseUrl: devstackEnv("GITHUB_API_BASE"),
    authStrategy: createAppAuth,
    auth: {
      appId: Number(devstackEnv("GITHUB_APP_ID")),
      privateKey: devstackEnv("GITHUB_APP_PRIVATE_KEY").replaceAll("\\n", "\n"),
      installationId: Number(installationId),
    },
  });
}
