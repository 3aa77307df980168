import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The service-role key bypasses RLS. It may be read only in lib/supabase/admin.ts, and a
 * service-role client may be built only there. This scans everything that ships with the app
 * (app/, components/, lib/, inngest/, middleware.ts, instrumentation, next/sentry config).
 * devstack/, scripts/ and tests/ are local tooling that never deploys, and may hold the devstack's
 * demo keys.
 */

const ROOT = path.resolve(__dirname, "../..");
const SHIPPED_DIRS = ["app", "components", "lib", "inngest"];
const SHIPPED_FILES =
  /^(middleware|instrumentation(-client)?|next\.config|sentry\.[a-z]+\.config)\.(ts|tsx|js|mjs)$/;
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const ADMIN = "lib/supabase/admin.ts";
/** The env schema names the variable (to fail fast when it is missing) but never returns it. */
const ENV = "lib/env.ts";

interface Finding {
  file: string;
  rule: string;
  excerpt: string;
}

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name)) out.push(full);
  }
}

function shippedFiles(root = ROOT): string[] {
  const files: string[] = [];
  for (const dir of SHIPPED_DIRS) walk(path.join(root, dir), files);
  for (const name of readdirSync(root))
    if (SHIPPED_FILES.test(name)) files.push(path.join(root, name));
  // app/.well-known is shipped too (walk skips dot-folders)
  walk(path.join(root, "app/.well-known"), files);
  return [...new Set(files)].map((f) => path.relative(root, f).split(path.sep).join("/"));
}

function decodeJwtRole(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      role?: unknown;
    };
    return typeof json.role === "string" ? json.role : undefined;
  } catch {
    return undefined;
  }
}

/** Every way the service role can leak into a file that is not admin.ts. */
function findServiceRoleUses(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, match: RegExpMatchArray | null) => {
    if (match) findings.push({ file, rule, excerpt: match[0].slice(0, 80) });
  };
  for (const jwt of text.match(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g) ?? []) {
    if (decodeJwtRole(jwt) === "service_role") {
      findings.push({ file, rule: "service-role JWT literal", excerpt: `${jwt.slice(0, 20)}…` });
    }
  }
  add("public env var for a service key", text.match(/NEXT_PUBLIC_[A-Z_]*SERVICE[A-Z_]*/));
  add("sb_secret_ key literal", text.match(/\bsb_secret_[A-Za-z0-9_-]{8,}/));
  if (file === ADMIN) return findings;
  add("reads the service-role key", text.match(/SERVICE_ROLE_KEY|SUPABASE_SECRET_KEY/));
  // code, not prose: a 'service_role' string (a JWT role claim, a Postgres role) or an identifier
  add("names the service role in code", text.match(/["'`]service_role["'`]|\bserviceRole\w*/));
  add(
    "builds a raw supabase-js client (only admin.ts may; use lib/supabase/*)",
    text.match(/import\s*\{[^}]*\bcreateClient\b[^}]*\}\s*from\s*["']@supabase\/supabase-js["']/),
  );
  if (/^\s*["']use client["']/.test(text)) {
    add(
      "client component imports a server-only Supabase client",
      text.match(
        /from\s*["'](@\/lib\/supabase\/(admin|server)|\.\.?\/.*supabase\/(admin|server))["']/,
      ),
    );
  }
  return findings;
}

describe("the service-role key lives only in lib/supabase/admin.ts", () => {
  it("the scanner catches each way of leaking it (so the real scan can fail)", () => {
    const serviceJwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
    const anonJwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
    const rules = (file: string, text: string) =>
      findServiceRoleUses(file, text).map((f) => f.rule);
    expect(rules("lib/x.ts", `const k = process.env.SUPABASE_SERVICE_ROLE_KEY;`)).toContain(
      "reads the service-role key",
    );
    expect(rules("lib/x.ts", `const key = "${serviceJwt}";`)).toContain("service-role JWT literal");
    expect(rules("lib/x.ts", `const key = "${anonJwt}";`)).toEqual([]);
    expect(rules("app/a.ts", `import { createClient } from "@supabase/supabase-js";`)).toEqual([
      "builds a raw supabase-js client (only admin.ts may; use lib/supabase/*)",
    ]);
    expect(
      rules("app/a.tsx", `"use client";\nimport { createClient } from "@/lib/supabase/server";`),
    ).toContain("client component imports a server-only Supabase client");
    // lib/env.ts is no exception: it never sees the key, so it may not name it either.
    expect(rules("lib/env.ts", "SUPABASE_SERVICE_ROLE_KEY: nonEmpty,")).toContain(
      "reads the service-role key",
    );
    expect(rules(ADMIN, "process.env.SUPABASE_SERVICE_ROLE_KEY")).toEqual([]);
    expect(rules(ADMIN, `"${serviceJwt}"`)).toEqual(["service-role JWT literal"]);
    expect(rules("lib/x.ts", "NEXT_PUBLIC_SUPABASE_SERVICE_KEY")).toContain(
      "public env var for a service key",
    );
    expect(rules("inngest/f.ts", `sign({ role: "service_role" }, secret)`)).toContain(
      "names the service role in code",
    );
    expect(
      rules("inngest/f.ts", "// reads through the audited admin client (service role)"),
    ).toEqual([]);
  });

  it("scans the shipped code and finds no service-role key or client outside admin.ts", () => {
    const files = shippedFiles();
    expect(files).toContain(ADMIN);
    expect(files).toContain(ENV);
    const findings = files.flatMap((file) =>
      findServiceRoleUses(file, readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(findings).toEqual([]);
  });

  it("admin.ts is server-only and reads the key from the environment only", () => {
    const text = readFileSync(path.join(ROOT, ADMIN), "utf8");
    expect(text).toMatch(/^import "server-only";/m);
    expect(text.match(/process\.env\.[A-Z_]+/g)).toEqual(["process.env.SUPABASE_SERVICE_ROLE_KEY"]);
  });
});
