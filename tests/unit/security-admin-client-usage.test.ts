import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The admin client bypasses RLS, so DESIGN.md allows it only in: OAuth/auth callbacks (no session
 * yet), Inngest jobs on a pre-resolved organization, webhook intake, audit recording, and
 * admin-gated server actions after a membership check. This test holds every importer of
 * lib/supabase/admin.ts to that list.
 */

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|tsx)$/;

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === ".next") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name)) out.push(path.relative(ROOT, full).split(path.sep).join("/"));
  }
}

const IMPORTS_ADMIN = /from\s+["'](@\/lib\/supabase\/admin|(\.\.?\/)+(lib\/)?supabase\/admin)["']/;

/** Why a file may use the admin client, or null when it may not. */
function allowed(file: string, text: string): string | null {
  if (/^\s*["']use client["']/.test(text)) return null;
  if (file === "lib/supabase/admin.ts") return "the module itself";
  if (file === "lib/auth/audit.ts") return "audit recording (auth events)";
  if (file === "instrumentation.ts") return "boot check that the admin client is configured";
  if (/^lib\/(webhooks|integrations|pipeline|fixes\/(deploys|rca-jobs))\//.test(file))
    return "server-side library for jobs and intake";
  if (/^lib\/billing\/(razorpay|invoices)\//.test(file))
    return "billing library for the Razorpay job and owner-gated actions (takes the client as an argument)";
  if (file.startsWith("inngest/")) return "Inngest job on a pre-resolved organization";
  if (
    file === "lib/notifications/deliver.ts" ||
    file === "lib/notifications/occurrence.ts" ||
    file === "lib/notifications/trial-notices.ts" ||
    file === "lib/notifications/daily-digest.ts"
  )
    return "server-side library for the notify jobs (takes the client as an argument)";
  if (file === "lib/notifications/slack/send.ts")
    return "server-side library for the Slack notify jobs (takes the client as an argument)";
  if (file === "lib/fixes/pull-requests/record-activity.ts")
    return "server-side library for the PR-activity job (takes the client as an argument)";
  if (file === "lib/fixes/pull-requests/link.ts")
    return "linking a PR behind orgAction (bugs.write): the installation token and the PR's state columns are service-role only";
  if (file === "lib/fixes/owners/request.ts")
    return "queueing an owner synthesis behind orgAction (bugs.write): only the job's service role writes the owners row";
  if (file === "lib/fixes/owners/codeowners-pr.ts")
    return "the CODEOWNERS draft PR behind orgAction (bugs.write): the installation token and the PR's record on the owners row are service-role only";
  if (file === "lib/notifications/unsubscribe.ts")
    return "one-click unsubscribe: no session, the HMAC-signed token names the workspace and user";
  if (/^app\/api\/webhooks\//.test(file)) return "webhook intake";
  if (/^app\/(\([^)]+\)\/)?auth\//.test(file)) return "auth callback before a session exists";
  if (
    /\/actions\.ts$/.test(file) &&
    /^\s*["']use server["']/.test(text) &&
    /\borgAction\(/.test(text)
  ) {
    return "server action behind orgAction (membership and role checked first)";
  }
  return null;
}

describe("where the admin client may be used", () => {
  it("the rules refuse what DESIGN.md does not allow", () => {
    const imp = 'import { createAdminClient } from "@/lib/supabase/admin";';
    expect(allowed("app/(app)/[org]/page.tsx", imp)).toBeNull();
    expect(allowed("components/x.tsx", `"use client";\n${imp}`)).toBeNull();
    expect(allowed("app/(app)/[org]/members/actions.ts", `"use server";\n${imp}`)).toBeNull();
    expect(
      allowed("app/(app)/[org]/members/actions.ts", `"use server";\n${imp}\norgAction(`),
    ).not.toBeNull();
    expect(allowed("app/api/webhooks/zendesk/route.ts", imp)).not.toBeNull();
    expect(allowed("inngest/functions/x.ts", imp)).not.toBeNull();
  });

  it("every importer of lib/supabase/admin.ts is an allowed place", () => {
    const files: string[] = [];
    for (const dir of ["app", "components", "lib", "inngest"]) walk(path.join(ROOT, dir), files);
    for (const name of readdirSync(ROOT)) if (SOURCE.test(name)) files.push(name);
    const offenders = files.filter((file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      return IMPORTS_ADMIN.test(text) && allowed(file, text) === null;
    });
    expect(offenders).toEqual([]);
  });
});
