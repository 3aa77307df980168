import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asOk, asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld, SECTIONS } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.rcas: members read a bug's RCA (bugs.read); members with bugs.write edit the
 * sections; owners and admins (rcas.approve) approve; drafting, parking and publishing are the
 * jobs' (service role), and a workspace that requires approval never publishes an unapproved one.
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("rcas");
});
afterAll(closeDb);
const w = () => world;

const EDITED = JSON.stringify({
  ...SECTIONS,
  fix: "Totals are rounded once, after all discounts.",
});

/** A fresh draft RCA for bug 2 of workspace A (committed: the invariants walk its life). */
async function freshRca(): Promise<string> {
  await asSuperuser("delete from public.rcas where bug_id = $1", [world.fa.bug2Id]);
  const [row] = await asSuperuser<{ id: string }>(
    "insert into public.rcas (organization_id, bug_id, sections) values ($1, $2, $3) returning id",
    [world.orgA.id, world.fa.bug2Id, JSON.stringify(SECTIONS)],
  );
  if (!row) throw new Error("rca not created");
  return row.id;
}

type RcaState = {
  status: string;
  version: number;
  approved_by: string | null;
  approved_version: number | null;
  published_version: number | null;
  edited_by: string | null;
};
async function state(id: string): Promise<RcaState | undefined> {
  const [row] = await asSuperuser<RcaState>(
    "select status, version, approved_by, approved_version, published_version, edited_by from public.rcas where id = $1",
    [id],
  );
  return row;
}

describe("rls: rcas", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's RCAs",
      (x) => ({
        text: "select id, sections, status from public.rcas where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:1",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "draft an RCA directly",
      (x) => ({
        text: "insert into public.rcas (organization_id, bug_id, sections) values ($1, $2, $3)",
        params: [x.orgA.id, x.fa.bug2Id, JSON.stringify(SECTIONS)],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "edit the draft's sections",
      (x) => ({
        text: "update public.rcas set sections = $2 where id = $1",
        params: [x.fa.rcaId, EDITED],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "approve the draft",
      (x) => ({
        text: "update public.rcas set status = 'approved' where id = $1",
        params: [x.fa.rcaId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "error:PT403",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "publish it by hand",
      (x) => ({
        text: "update public.rcas set status = 'published' where id = $1",
        params: [x.fa.rcaId],
      }),
      {
        owner: "error:PT403",
        admin: "error:PT403",
        member: "error:PT403",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "drop a section",
      (x) => ({
        text: "update public.rcas set sections = sections - 'prevention' where id = $1",
        params: [x.fa.rcaId],
      }),
      {
        owner: "error:23514",
        admin: "error:23514",
        member: "error:23514",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "make a section something other than text",
      (x) => ({
        text: `update public.rcas set sections = jsonb_set(sections, '{fix}', '42') where id = $1`,
        params: [x.fa.rcaId],
      }),
      {
        owner: "error:23514",
        admin: "error:23514",
        member: "error:23514",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "set the version or the approver directly",
      (x) => ({
        text: "update public.rcas set version = 9, approved_by = $2 where id = $1",
        params: [x.fa.rcaId, x.users.owner.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete an RCA",
      (x) => ({ text: "delete from public.rcas where id = $1", params: [x.fa.rcaId] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("an edit bumps the version and withdraws an approval; publishing needs a current one", async () => {
      const id = await freshRca();
      // not approved yet: the service role cannot publish (approval required by default)
      await expect(
        asSuperuser("update public.rcas set status = 'published' where id = $1", [id]),
      ).rejects.toMatchObject({ code: "PT422" });
      // nor grant an approval itself
      await expect(
        asSuperuser("update public.rcas set status = 'approved' where id = $1", [id]),
      ).rejects.toMatchObject({ code: "PT422" });

      await asOk(world.users.admin, "update public.rcas set status = 'approved' where id = $1", [
        id,
      ]);
      expect(await state(id)).toMatchObject({
        status: "approved",
        version: 1,
        approved_by: world.users.admin.id,
        approved_version: 1,
      });

      // a member's edit is a new version, which the approval does not cover
      await asOk(world.users.member, "update public.rcas set sections = $2 where id = $1", [
        id,
        EDITED,
      ]);
      expect(await state(id)).toMatchObject({
        status: "draft",
        version: 2,
        edited_by: world.users.member.id,
        approved_version: 1,
      });
      await expect(
        asSuperuser("update public.rcas set status = 'published' where id = $1", [id]),
      ).rejects.toMatchObject({ code: "PT422" });

      await asOk(world.users.owner, "update public.rcas set status = 'approved' where id = $1", [
        id,
      ]);
      await asSuperuser("update public.rcas set status = 'published' where id = $1", [id]);
      expect(await state(id)).toMatchObject({
        status: "published",
        version: 2,
        published_version: 2,
      });

      // editing after publishing needs a new approval and an explicit publish update
      await asOk(world.users.member, "update public.rcas set sections = $2 where id = $1", [
        id,
        JSON.stringify(SECTIONS),
      ]);
      expect(await state(id)).toMatchObject({ status: "draft", version: 3, published_version: 2 });
    });

    it("parking needs a reason, and an un-parked RCA keeps only a current approval", async () => {
      const id = await freshRca();
      await expect(
        asSuperuser("update public.rcas set status = 'parked' where id = $1", [id]),
      ).rejects.toMatchObject({ code: "PT422" });
      await asOk(world.users.admin, "update public.rcas set status = 'approved' where id = $1", [
        id,
      ]);
      await asSuperuser(
        "update public.rcas set status = 'parked', parked_reason = 'Rolled back in production' where id = $1",
        [id],
      );
      // a person cannot un-park it
      const out = await as(
        world.users.owner,
        "update public.rcas set status = 'approved' where id = $1",
        [id],
      );
      expect(out.ok || out.error.code).toBe("PT403");
      // the fix is back in production: the approval of the same version is restored
      await asSuperuser("update public.rcas set status = 'approved' where id = $1", [id]);
      expect(await state(id)).toMatchObject({ status: "approved", approved_version: 1 });
    });

    it("a workspace that does not require approval publishes a draft", async () => {
      const id = await freshRca();
      await asSuperuser(
        "update public.fix_settings set rca_approval_required = false where organization_id = $1",
        [world.orgA.id],
      );
      try {
        await asSuperuser("update public.rcas set status = 'published' where id = $1", [id]);
        expect(await state(id)).toMatchObject({ status: "published", published_version: 1 });
      } finally {
        await asSuperuser(
          "update public.fix_settings set rca_approval_required = true where organization_id = $1",
          [world.orgA.id],
        );
      }
    });
  });
});
