import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORKSPACE, seedDemo } from "@/scripts/lib/seed-demo";
import { devstackEnv } from "../helpers/devstack-env";

const db = new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 1 });
afterAll(() => db.end());

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
});
