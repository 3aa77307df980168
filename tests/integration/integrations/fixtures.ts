import { randomBytes } from "node:crypto";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { asOk, createUser, type TestUser } from "@/supabase/tests/helpers/db";

/** Shared set-up of the integrations integration tests: app env pointed at the devstack, keys. */

export const KEY_OLD = randomBytes(32).toString("base64");
export const KEY_NEW = randomBytes(32).toString("base64");

/** The app modules see the devstack and a keyring whose active key is `old` (rotation tests swap). */
export function useIntegrationsEnv(): void {
  useDevstackAppEnv();
  process.env.ENCRYPTION_KEYS = `old:${KEY_OLD}`;
  process.env.ZENDESK_CLIENT_ID = "sbx_client";
  process.env.ZENDESK_CLIENT_SECRET = "sbx_client_secret";
}

/** A workspace owned by a fresh user, made through the RPC like the app does. */
export async function workspace(label: string): Promise<{ id: string; owner: TestUser }> {
  const owner = await createUser(label);
  const [org] = await asOk<{ id: string }>(
    owner,
    "select id from public.create_organization($1, $2)",
    [`W ${label}`, `${label}-${owner.id.slice(0, 8)}`],
  );
  if (!org) throw new Error("workspace not created");
  return { id: org.id, owner };
}
