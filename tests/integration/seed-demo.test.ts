import { createClient } from "@supabase/supabase-js";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import {
  DEMO_PASSWORD,
  DEMO_REPOSITORY,
  DEMO_USERS,
  DEMO_WORKSPACE,
  DEMO_ZENDESK_SUBDOMAIN,
  seedDemo,
} from "@/scripts/lib/seed-demo";
import { devstackEnv } from "../helpers/devstack-env";
import { releaseSharedSandboxAccounts } from "./pipeline/fixtures";
import { sandbox } from "./sandboxes/helpers";

vi.mock("server-only", () => ({}));

const db = new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 1 });
let app: Awaited<ReturnType<typeof serveApp>> | undefined;

beforeAll(async () => {
  // the app's environment is the devstack's env file, as `npm run dev` gives it to the seed
  Object.assign(process.env, devstackEnv());
  (await import("@/lib/env")).resetEnvCacheForTests();
  // the sandbox's one GitHub account belongs to one workspace at a time: earlier suites let go
  await releaseSharedSandboxAccounts();
});

afterAll(async () => {
  // and so does this one, for the e2e connect flows that come later
  await releaseSharedSandboxAccounts();
  await app?.close();
  await db.end();
});

describe("demo seed (npm run dev)", () => {
  it("creates the demo workspace with one owner, a member and a viewer, and is idempotent", async () => {
    const env = devstackEnv();
    await seedDemo(env);
    await seedDemo(env);
    const { rows } = await db.query<{ email: string; role: string }>(
      `select u.email, m.role from public.memberships m
         join public.organizations o on o.id = m.organization_id
         join auth.users u on u.id = m.user_id
        where o.slug = $1 order by u.email`,
      [DEMO_WORKSPACE.slug],
    );
    expect(rows).toEqual(
      DEMO_USERS.map((u) => ({ email: u.email, role: u.role })).sort((a, b) =>
        a.email.localeCompare(b.email),
      ),
    );
  });

  it("lets the printed demo sign-in work and see the workspace through RLS", async () => {
    const env = devstackEnv();
    const client = createClient(env.API_URL, env.ANON_KEY, { auth: { persistSession: false } });
    const { error } = await client.auth.signInWithPassword({
      email: DEMO_USERS[2].email,
      password: DEMO_PASSWORD,
    });
    expect(error).toBeNull();
    const { data } = await client.from("organizations").select("slug");
    expect(data?.map((o) => o.slug)).toContain(DEMO_WORKSPACE.slug);
  });

  it("connects Zendesk through the connect flow (sealed token and webhook secret the sandbox signs with), once", async () => {
    const { connectDemoIntegrations } = await import("@/scripts/lib/seed-demo-integrations");
    const { openIntegrationSecret } = await import("@/lib/integrations/secrets");
    const seeded = await seedDemo(devstackEnv());
    const caller = { user: seeded.owner, org: seeded.organization };
    const first = await connectDemoIntegrations(caller);
    const again = await connectDemoIntegrations(caller);
    expect(again).toEqual({ zendesk: "already", github: "already" });
    // a workspace seeded by an earlier run is already connected; a fresh one was connected now
    expect(["connected", "already"]).toContain(first.zendesk);

    const { rows } = await db.query<{
      id: string;
      organization_id: string;
      provider: string;
      status: string;
      external_account_id: string;
      access_token_enc: string | null;
      webhook_secret_enc: string | null;
      provider_webhook_id: string | null;
      connected_by: string | null;
    }>(
      `select id, organization_id, provider, status, external_account_id, access_token_enc,
              webhook_secret_enc, provider_webhook_id, connected_by
         from public.integrations where organization_id = $1 and status <> 'disconnected'
        order by provider`,
      [seeded.organization.id],
    );
    expect(rows.map((r) => r.provider)).toEqual(["github", "zendesk"]);
    const zendesk = rows.find((r) => r.provider === "zendesk");
    if (!zendesk) throw new Error("no Zendesk integration");
    expect(zendesk).toMatchObject({
      status: "connected",
      external_account_id: DEMO_ZENDESK_SUBDOMAIN,
      connected_by: seeded.owner.id,
    });
    // sealed to this row: the plaintext is not in the column, and the app's keyring opens it
    const token = openIntegrationSecret(zendesk, "access_token_enc");
    const secret = openIntegrationSecret(zendesk, "webhook_secret_enc");
    expect(token).toBeTruthy();
    expect(zendesk.access_token_enc).not.toContain(token);
    // the webhook the flow created in the sandbox account points at the app and signs with it
    const api = (p: string) =>
      fetch(sandbox(`/zendesk/${DEMO_ZENDESK_SUBDOMAIN}${p}`), {
        headers: { authorization: `Bearer ${token}` },
      }).then((r) => r.json());
    const hook = (await api(`/api/v2/webhooks/${zendesk.provider_webhook_id}`)) as {
      webhook: { endpoint: string; status: string };
    };
    expect(hook.webhook).toMatchObject({
      endpoint: `${process.env.NEXT_PUBLIC_SITE_URL}/api/webhooks/zendesk`,
      status: "active",
    });
    const signing = (await api(
      `/api/v2/webhooks/${zendesk.provider_webhook_id}/signing_secret`,
    )) as { signing_secret: { secret: string } };
    expect(signing.signing_secret.secret).toBe(secret);
    // one webhook of Patchline's in the account, however many times the seed ran
    const list = (await api("/api/v2/webhooks")) as { webhooks: Array<{ endpoint: string }> };
    expect(list.webhooks.filter((w) => w.endpoint.endsWith("/api/webhooks/zendesk"))).toHaveLength(
      1,
    );
  });

  it("installs the GitHub App with the demo repository selected and indexes it through the real job, once", async () => {
    const seeds = await import("@/scripts/lib/seed-demo-integrations");
    const { defineIndexRepository } = await import("@/inngest/functions/index-repository");
    const executor = devstackEnv().INNGEST_BASE_URL;
    // the index job served over HTTP on a test app id (the app itself is not running here)
    const client = new Inngest({ id: "seed-demo-test", isDev: true, baseUrl: executor });
    app = await serveApp(client, [defineIndexRepository(client)]);
    await syncApp(executor, app.url);

    const { organization } = await seedDemo(devstackEnv());
    const before = await seeds.demoRepositoryIndexes(organization.id);
    expect(before.map((r) => r.fullName)).toEqual([DEMO_REPOSITORY]);
    const asked = await seeds.requestDemoIndexes(organization.id);
    // already indexed by an earlier run (then nothing is asked), or asked now
    expect(asked).toEqual(before[0]?.status === "ready" ? [] : [DEMO_REPOSITORY]);
    const [index] = await waitFor(
      async () => {
        const rows = await seeds.demoRepositoryIndexes(organization.id);
        return rows[0]?.status === "ready" || rows[0]?.status === "error" ? rows : undefined;
      },
      90_000,
      "the demo repository indexed",
    );
    expect(index).toMatchObject({ fullName: DEMO_REPOSITORY, status: "ready" });
    expect(index?.filesDone).toBe(index?.filesTotal);
    expect(index?.commitSha).toMatch(/^[0-9a-f]{40}$/);
    // a second `npm run dev` asks for nothing and leaves one index
    expect(await seeds.requestDemoIndexes(organization.id)).toEqual([]);
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from public.code_indexes where repository_id = $1`,
      [index?.repositoryId],
    );
    expect(rows[0]?.n).toBe(1);
  }, 120_000);
});
