import { execFileSync } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, env, formFields, postForm, sandbox, startReceiver } from "./helpers";

const owner = `org${Date.now().toString(36)}`;
const full = `${owner}/widgets`;
const api = (p: string) => sandbox(`/github/api${p}`);
const APP_TS =
  "export function total(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n";

function makeRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sbx-gh-"));
  const run = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "T",
        GIT_AUTHOR_EMAIL: "t@example.test",
        GIT_COMMITTER_NAME: "T",
        GIT_COMMITTER_EMAIL: "t@example.test",
      },
    });
  run("init", "--quiet", "--initial-branch=main");
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/app.ts"), APP_TS);
  writeFileSync(path.join(dir, "README.md"), "# widgets\n");
  run("add", ".");
  run("commit", "--quiet", "-m", "Initial commit");
  return dir;
}

async function appJwt(opts: { key?: string; ttl?: number } = {}): Promise<string> {
  const pem = opts.key ?? env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n");
  // The sandbox writes a PKCS#1 key ("BEGIN RSA PRIVATE KEY"), as GitHub's downloaded keys are.
  const { createPrivateKey } = await import("node:crypto");
  const pkcs8 = createPrivateKey(pem).export({ type: "pkcs8", format: "pem" }).toString();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(env().GITHUB_APP_ID!)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (opts.ttl ?? 540))
    .sign(await importPKCS8(pkcs8, "RS256"));
}

const gh = (p: string, token: string, init: RequestInit = {}) =>
  fetch(api(p), {
    ...init,
    redirect: "manual",
    headers: {
      authorization: `token ${token}`,
      accept: "application/vnd.github+json",
      "content-type": "application/json",
      ...init.headers,
    },
  });

const verify = (raw: Buffer, header: unknown) =>
  header ===
  `sha256=${createHmac("sha256", env().GITHUB_WEBHOOK_SECRET!).update(raw).digest("hex")}`;

describe("GitHub sandbox", () => {
  let dir: string;
  let repoId: number;
  const receiver = startReceiver([200]);

  beforeAll(async () => {
    dir = makeRepo();
    const added = await control<{
      repository: { id: number; full_name: string; default_branch: string };
    }>("POST", "/github/repositories", { path: dir, full_name: full });
    expect(added.status).toBe(201);
    expect(added.json.repository.default_branch).toBe("main");
    repoId = added.json.repository.id;
    await control("PUT", "/webhook-targets", { github: (await receiver).url });
  });
  afterAll(async () => {
    await control("PUT", "/webhook-targets", { github: null });
    await (await receiver).close();
    rmSync(dir, { recursive: true, force: true });
  });

  let installationId: string;
  let token: string;

  it("installs the App through the web flow and redirects to the setup URL; the installation webhook is signed", async () => {
    const rx = await receiver;
    const page = await fetch(
      sandbox(
        `/github/web/apps/${env().GITHUB_APP_SLUG}/installations/new?state=st-9&account=${owner}`,
      ),
    );
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`data-testid="sandbox-repo-${full}"`);
    const res = await postForm(
      sandbox(`/github/web/apps/${env().GITHUB_APP_SLUG}/installations/new`),
      {
        ...formFields(html),
        account: owner,
        selection: "selected",
        repository_ids: String(repoId),
        decision: "install",
      },
    );
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(loc.origin).toBe(new URL(env().NEXT_PUBLIC_SITE_URL!).origin);
    expect(loc.searchParams.get("setup_action")).toBe("install");
    expect(loc.searchParams.get("state")).toBe("st-9");
    installationId = loc.searchParams.get("installation_id")!;
    expect(installationId).toMatch(/^\d+$/);

    const [hook] = await rx.waitFor(1);
    expect(hook!.headers["x-github-event"]).toBe("installation");
    expect(hook!.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(verify(hook!.raw, hook!.headers["x-hub-signature-256"])).toBe(true);
    const body = JSON.parse(hook!.raw.toString());
    expect(body).toMatchObject({
      action: "created",
      installation: { id: Number(installationId), account: { login: owner } },
      repositories: [{ full_name: full }],
    });
  });

  it("exchanges an RS256 App JWT for a one-hour installation token, and refuses a foreign or long-lived JWT", async () => {
    const res = await fetch(api(`/app/installations/${installationId}/access_tokens`), {
      method: "POST",
      headers: { authorization: `Bearer ${await appJwt()}` },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      token: string;
      expires_at: string;
      repository_selection: string;
    };
    expect(body.token).toMatch(/^ghs_sbx/);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(3500_000);
    expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(body.repository_selection).toBe("selected");
    token = body.token;

    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const foreign = await fetch(api(`/app/installations/${installationId}/access_tokens`), {
      method: "POST",
      headers: { authorization: `Bearer ${await appJwt({ key: otherKey })}` },
    });
    expect(foreign.status).toBe(401);
    const long = await fetch(api(`/app/installations/${installationId}/access_tokens`), {
      method: "POST",
      headers: { authorization: `Bearer ${await appJwt({ ttl: 3600 })}` },
    });
    expect(long.status).toBe(401);
    expect((await gh("/installation/repositories", "ghs_sbxnot-a-token")).status).toBe(401);
  });

  it("serves the real repository: listing, contents (base64 and raw), tree, branches, commits, tarball", async () => {
    const list = (await (await gh("/installation/repositories", token)).json()) as {
      total_count: number;
      repositories: Array<{ full_name: string }>;
    };
    expect(list.repositories.map((r) => r.full_name)).toEqual([full]);

    const file = (await (await gh(`/repos/${full}/contents/src/app.ts`, token)).json()) as {
      type: string;
      encoding: string;
      content: string;
      sha: string;
    };
    expect(file.type).toBe("file");
    expect(Buffer.from(file.content, "base64").toString()).toBe(APP_TS);
    expect(file.sha).toBe(
      execFileSync("git", ["-C", dir, "rev-parse", "HEAD:src/app.ts"]).toString().trim(),
    );
    const raw = await gh(`/repos/${full}/contents/src/app.ts?ref=main`, token, {
      headers: { accept: "application/vnd.github.raw+json" },
    });
    expect(await raw.text()).toBe(APP_TS);
    const root = (await (await gh(`/repos/${full}/contents/`, token)).json()) as Array<{
      path: string;
      type: string;
    }>;
    expect(root.map((e) => `${e.type}:${e.path}`).sort()).toEqual(["dir:src", "file:README.md"]);
    expect((await gh(`/repos/${full}/contents/nope.ts`, token)).status).toBe(404);

    const tree = (await (await gh(`/repos/${full}/git/trees/main?recursive=1`, token)).json()) as {
      tree: Array<{ path: string; type: string }>;
      truncated: boolean;
    };
    expect(tree.tree.map((e) => e.path).sort()).toEqual(["README.md", "src", "src/app.ts"]);
    const branches = (await (await gh(`/repos/${full}/branches`, token)).json()) as Array<{
      name: string;
    }>;
    expect(branches.map((b) => b.name)).toEqual(["main"]);
    const commits = (await (await gh(`/repos/${full}/commits?per_page=5`, token)).json()) as Array<{
      commit: { message: string };
    }>;
    expect(commits.map((c) => c.commit.message)).toEqual(["Initial commit"]);

    const redirect = await gh(`/repos/${full}/tarball/main`, token);
    expect(redirect.status).toBe(302);
    const tgz = Buffer.from(await (await fetch(redirect.headers.get("location")!)).arrayBuffer());
    const tar = gunzipSync(tgz).toString("latin1");
    expect(tar).toContain(`${owner}-widgets-`);
    expect(tar).toContain("src/app.ts");
    expect(tar).toContain("items.reduce");
  });

  it("branch, file commit, pull request, merge and deployment status, each with its webhook", async () => {
    const rx = await receiver;
    const seen = rx.received.length;
    const head = (await (await gh(`/repos/${full}/git/ref/heads/main`, token)).json()) as {
      object: { sha: string };
    };
    expect(
      (
        await gh(`/repos/${full}/git/refs`, token, {
          method: "POST",
          body: JSON.stringify({ ref: "refs/heads/fix-total", sha: head.object.sha }),
        })
      ).status,
    ).toBe(201);
    const current = (await (
      await gh(`/repos/${full}/contents/src/app.ts?ref=fix-total`, token)
    ).json()) as { sha: string };
    const put = await gh(`/repos/${full}/contents/src/app.ts`, token, {
      method: "PUT",
      body: JSON.stringify({
        message: "Fix total",
        content: Buffer.from(`${APP_TS}// fixed\n`).toString("base64"),
        sha: current.sha,
        branch: "fix-total",
      }),
    });
    expect(put.status).toBe(200);
    const pr = await gh(`/repos/${full}/pulls`, token, {
      method: "POST",
      body: JSON.stringify({
        title: "Fix total",
        head: "fix-total",
        base: "main",
        body: "Fixes the total.",
        draft: true,
      }),
    });
    expect(pr.status).toBe(201);
    const pull = (await pr.json()) as { number: number; draft: boolean; head: { ref: string } };
    expect(pull).toMatchObject({ number: 1, draft: true, head: { ref: "fix-total" } });
    const listed = (await (await gh(`/repos/${full}/pulls?state=open`, token)).json()) as unknown[];
    expect(listed).toHaveLength(1);
    expect(
      (
        await gh(`/repos/${full}/pulls/1`, token, {
          method: "PATCH",
          body: JSON.stringify({ title: "Fix the total" }),
        })
      ).status,
    ).toBe(200);

    const merged = await control<{ sha: string; pull_request: { merged: boolean; state: string } }>(
      "POST",
      "/github/merge",
      { repo: full, number: 1 },
    );
    expect(merged.json.pull_request).toMatchObject({ merged: true, state: "closed" });
    const main = (await (
      await gh(`/repos/${full}/contents/src/app.ts?ref=main`, token)
    ).json()) as { content: string };
    expect(Buffer.from(main.content, "base64").toString()).toContain("// fixed");

    const deployed = await control<{ deployment: { sha: string } }>(
      "POST",
      "/github/deployment-status",
      { repo: full, environment: "production", state: "success" },
    );
    expect(deployed.status).toBe(201);
    expect(deployed.json.deployment.sha).toBe(merged.json.sha);

    // push (branch), push (file), pull_request opened, edited, push (merge), closed, deployment,
    // deployment_status. Deliveries run concurrently: compare them as a set, find each by event.
    const got = (await rx.waitFor(seen + 8)).slice(seen);
    const key = (r: (typeof got)[number]) =>
      `${r.headers["x-github-event"]}.${JSON.parse(r.raw.toString()).action ?? ""}`;
    expect(got.map(key).sort()).toEqual([
      "deployment.created",
      "deployment_status.created",
      "pull_request.closed",
      "pull_request.edited",
      "pull_request.opened",
      "push.",
      "push.",
      "push.",
    ]);
    for (const r of got) expect(verify(r.raw, r.headers["x-hub-signature-256"])).toBe(true);
    const closed = JSON.parse(got.find((r) => key(r) === "pull_request.closed")!.raw.toString());
    expect(closed.pull_request).toMatchObject({ merged: true, merge_commit_sha: merged.json.sha });
    const status = JSON.parse(
      got.find((r) => key(r) === "deployment_status.created")!.raw.toString(),
    );
    expect(status).toMatchObject({
      deployment_status: { state: "success" },
      deployment: { sha: merged.json.sha, environment: "production" },
      installation: { id: Number(installationId) },
    });
  });

  it("serves the demo repository acme/storefront by default, at the builder's head", async () => {
    const { json } = await control<{
      repositories: Array<{ full_name: string; default_branch: string }>;
    }>("GET", "/github/repositories");
    expect(json.repositories).toContainEqual(
      expect.objectContaining({ full_name: "acme/storefront", default_branch: "main" }),
    );
    const page = await fetch(
      sandbox(`/github/web/apps/${env().GITHUB_APP_SLUG}/installations/new?account=acme`),
    );
    const res = await postForm(
      sandbox(`/github/web/apps/${env().GITHUB_APP_SLUG}/installations/new`),
      { ...formFields(await page.text()), account: "acme", selection: "all", decision: "install" },
    );
    const id = new URL(res.headers.get("location")!).searchParams.get("installation_id")!;
    const tok = (await (
      await fetch(api(`/app/installations/${id}/access_tokens`), {
        method: "POST",
        headers: { authorization: `Bearer ${await appJwt()}` },
      })
    ).json()) as { token: string };
    const head = (await (await gh("/repos/acme/storefront/branches/main", tok.token)).json()) as {
      commit: { sha: string };
    };
    const tickets = JSON.parse(
      readFileSync(path.resolve(__dirname, "../../../devstack/demo-repo/tickets.json"), "utf8"),
    ) as { commit: string };
    expect(head.commit.sha).toBe(tickets.commit);
    const readme = (await (
      await gh("/repos/acme/storefront/contents/README.md", tok.token)
    ).json()) as { content: string };
    expect(Buffer.from(readme.content, "base64").toString()).toBe(
      readFileSync(path.resolve(__dirname, "../../../devstack/demo-repo/source/README.md"), "utf8"),
    );
  });
});
