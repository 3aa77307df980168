import { afterAll, describe, expect, it } from "vitest";
import { closeDb, db } from "./helpers/db";
import { LINTS } from "./helpers/lint";
import { migrationScope, parseScope } from "./helpers/migrations";

afterAll(closeDb);

describe("schema lint", () => {
  it("judges what the migrations create", () => {
    const scope = migrationScope();
    expect(scope.tables).toEqual(
      expect.arrayContaining([
        "public.organizations",
        "public.memberships",
        "public.invitations",
        "public.audit_log",
        "private.role_permissions",
      ]),
    );
    expect(scope.functions).toEqual(
      expect.arrayContaining(["public.create_organization", "private.is_member"]),
    );
    expect(
      parseScope(`-- create table public.commented_out (id int);
        create table if not exists "public"."quoted" (id int);
        create table bare (id int);
        create or replace function private.f(x int) returns int language sql as 'select 1';`),
    ).toEqual({ tables: ["public.bare", "public.quoted"], functions: ["private.f"] });
  });

  for (const [name, lint] of Object.entries(LINTS)) {
    it(`no ${name}`, async () => {
      expect(await lint(db())).toEqual([]);
    });
  }

  it("each lint catches a deliberately bad schema (inside a rolled-back transaction)", async () => {
    const client = await db().connect();
    try {
      await client.query("begin");
      await client.query(`
        create table public.lint_probe_no_rls (id int primary key);
        create table public.lint_probe (
          id int primary key,
          organization_id uuid references public.organizations (id)
        );
        alter table public.lint_probe enable row level security;
        grant select, insert on public.lint_probe to authenticated;
        grant select on public.lint_probe to anon;
        create policy lint_probe_all on public.lint_probe for select to authenticated using (true);
        create policy lint_probe_uid on public.lint_probe for select to anon
          using (organization_id = auth.uid());
        create function public.lint_probe_definer() returns int
          language sql security definer as 'select 1';
      `);
      const base = migrationScope();
      const scope = {
        tables: [...base.tables, "public.lint_probe", "public.lint_probe_no_rls"],
        functions: [...base.functions, "public.lint_probe_definer"],
      };
      const found: Record<string, string[]> = {};
      for (const [name, lint] of Object.entries(LINTS)) found[name] = await lint(client, scope);
      // outside the migrations' scope (a test fixture), the same objects are not judged
      expect(await LINTS["RLS disabled in an exposed schema"](client)).toEqual([]);
      expect(found["RLS disabled in an exposed schema"]).toContain("public.lint_probe_no_rls");
      expect(found["security definer with a mutable search_path"]).toContain(
        "lint_probe_definer()",
      );
      expect(found["security definer executable by anon"]).toContain("lint_probe_definer()");
      expect(found["always-true policy"]).toContain("public.lint_probe.lint_probe_all");
      expect(found["auth.uid() not wrapped in select"]).toContain(
        "public.lint_probe.lint_probe_uid",
      );
      expect(found["unindexed foreign key"]).toContain(
        "lint_probe.lint_probe_organization_id_fkey",
      );
      expect(found["table or function without a comment"]).toEqual(
        expect.arrayContaining(["table public.lint_probe", "function lint_probe_definer()"]),
      );
      expect(found["granted command without a policy"]).toContain(
        "public.lint_probe INSERT to authenticated",
      );
      expect(found["tenant table without organization_id"]).toContain("public.lint_probe_no_rls");
      expect(found["privilege granted to anon"]).toContain("public.lint_probe SELECT");
    } finally {
      await client.query("rollback").catch(() => {});
      client.release();
    }
  });
});
