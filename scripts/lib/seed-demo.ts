import { createClient, type SupabaseClient, type User } from "@supabase/supabase-js";

export const DEMO_PASSWORD = "patchline-demo-2026!";
export const DEMO_WORKSPACE = { name: "Acme Support", slug: "acme" };
export const DEMO_USERS = [
  { email: "owner@demo.patchline.dev", role: "owner" },
  { email: "member@demo.patchline.dev", role: "member" },
  { email: "viewer@demo.patchline.dev", role: "viewer" },
] as const;
/** The sandbox accounts the demo workspace is connected to (scripts/lib/seed-demo-integrations.ts). */
export const DEMO_ZENDESK_SUBDOMAIN = "acme";
export const DEMO_GITHUB_ACCOUNT = "acme";
export const DEMO_REPOSITORY = "acme/storefront";

export interface SeededDemo {
  organization: { id: string; name: string; slug: string };
  owner: User;
}

const anonClient = (url: string, anon: string) =>
  createClient(url, anon, { auth: { persistSession: false, autoRefreshToken: false } });

async function ensureUser(admin: SupabaseClient, email: string): Promise<void> {
  const { error } = await admin.auth.admin.createUser({
    email,
    password: DEMO_PASSWORD,
    email_confirm: true,
  });
  if (error && error.code !== "email_exists" && error.code !== "user_already_exists") {
    throw new Error(`seed: cannot create ${email}: ${error.message}`);
  }
}

async function signIn(url: string, anon: string, email: string): Promise<SupabaseClient> {
  const client = anonClient(url, anon);
  const { error } = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
  if (error) throw new Error(`seed: cannot sign in ${email}: ${error.message}`);
  return client;
}

/**
 * The demo workspace and its people, created through the same APIs a person uses (the auth admin
 * API for the accounts, then the workspace RPCs as the owner), so the demo data obeys every rule the
 * product does. Idempotent: a second run finds everything in place. Returns the workspace and its
 * owner (the integrations are connected in their name: scripts/lib/seed-demo-integrations.ts).
 */
export async function seedDemo(env: {
  API_URL: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
}): Promise<SeededDemo> {
  const admin = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (const u of DEMO_USERS) await ensureUser(admin, u.email);

  const owner = await signIn(env.API_URL, env.ANON_KEY, DEMO_USERS[0].email);
  const { data: who, error: whoError } = await owner.auth.getUser();
  if (whoError || !who.user) throw new Error(`seed: owner not signed in: ${whoError?.message}`);
  const seeded = (id: string): SeededDemo => ({
    organization: { id, ...DEMO_WORKSPACE },
    owner: who.user,
  });
  const existing = await owner
    .from("organizations")
    .select("id")
    .eq("slug", DEMO_WORKSPACE.slug)
    .maybeSingle();
  if (existing.error) throw new Error(`seed: ${existing.error.message}`);
  if (existing.data) return seeded(existing.data.id);

  const created = await owner.rpc("create_organization", {
    p_name: DEMO_WORKSPACE.name,
    p_slug: DEMO_WORKSPACE.slug,
  });
  if (created.error) throw new Error(`seed: create_organization: ${created.error.message}`);
  const orgId = (created.data as { id: string }).id;

  for (const u of DEMO_USERS.slice(1)) {
    const inv = await owner.rpc("create_invitation", {
      p_organization_id: orgId,
      p_email: u.email,
      p_role: u.role,
    });
    if (inv.error) throw new Error(`seed: invite ${u.email}: ${inv.error.message}`);
    const token = (inv.data as Array<{ token: string }>)[0]?.token;
    const member = await signIn(env.API_URL, env.ANON_KEY, u.email);
    const acc = await member.rpc("accept_invitation", { p_token: token });
    if (acc.error) throw new Error(`seed: ${u.email} accepts: ${acc.error.message}`);
  }
  return seeded(orgId);
}
