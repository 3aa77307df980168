import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asOk, asSuperuser, buildWorld, closeDb, createUser, type World } from "./helpers/db";
import { matrix } from "./helpers/matrix";

/**
 * The workspace RPCs check roles themselves (security definer). Per persona: who may call them,
 * and the SQLSTATE the others get (PT403 member without the right, PT404 not a member, 42501 anon
 * has no EXECUTE).
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("rpc");
});
afterAll(closeDb);
const w = () => world;

describe("rpc: reads", () => {
  matrix(
    w,
    "get_organization_members(A)",
    (x) => ({
      text: "select * from public.get_organization_members($1)",
      params: [x.orgA.id],
    }),
    {
      owner: "ok:4",
      admin: "ok:4",
      member: "ok:4",
      viewer: "ok:4",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "list_audit_log(A)",
    (x) => ({
      text: "select * from public.list_audit_log($1)",
      params: [x.orgA.id],
    }),
    {
      owner: "ok:>0",
      admin: "ok:>0",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "get_invitation(token of A)",
    (x) => ({
      text: "select * from public.get_invitation($1)",
      params: [x.invitationA.token],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "ok:1",
      viewer: "ok:1",
      outsider: "ok:1",
      anonymous: "error:42501",
    },
  );

  it("get_invitation answers PT404 for an unknown token", async () => {
    const out = await as(world.users.outsider, "select * from public.get_invitation($1)", [
      "f".repeat(64),
    ]);
    expect(out.ok ? "ok" : out.error.code).toBe("PT404");
  });

  it("record_auth_event is for the service role only", async () => {
    const out = await as(world.users.owner, "select public.record_auth_event('auth.sign_in', $1)", [
      world.users.owner.id,
    ]);
    expect(out.ok ? "ok" : out.error.code).toBe("42501");
  });
});

describe("rpc: writes per role", () => {
  matrix(
    w,
    "create_invitation in A as member",
    (x) => ({
      text: "select * from public.create_invitation($1, $2, 'member')",
      params: [x.orgA.id, `new-${Date.now()}@rls.test`],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "create_invitation in A as owner",
    (x) => ({
      text: "select * from public.create_invitation($1, $2, 'owner')",
      params: [x.orgA.id, `boss-${Date.now()}@rls.test`],
    }),
    {
      owner: "ok:1",
      admin: "error:PT403",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "change_member_role(A, viewer → member)",
    (x) => ({
      text: "select * from public.change_member_role($1, $2, 'member')",
      params: [x.orgA.id, x.users.viewer.id],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "change_member_role(A, owner → admin)",
    (x) => ({
      text: "select * from public.change_member_role($1, $2, 'admin')",
      params: [x.orgA.id, x.users.owner.id],
    }),
    {
      owner: "error:PT403",
      admin: "error:PT403",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "remove_member(A, member)",
    (x) => ({
      text: "select public.remove_member($1, $2)",
      params: [x.orgA.id, x.users.member.id],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "ok:1", // leaving is allowed
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "remove_member(A, owner)",
    (x) => ({
      text: "select public.remove_member($1, $2)",
      params: [x.orgA.id, x.users.owner.id],
    }),
    {
      owner: "error:PT403",
      admin: "error:PT403",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "transfer_ownership(A → admin)",
    (x) => ({
      text: "select public.transfer_ownership($1, $2)",
      params: [x.orgA.id, x.users.admin.id],
    }),
    {
      owner: "ok:1",
      admin: "error:PT403",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "revoke_invitation(pending in A)",
    (x) => ({
      text: "select public.revoke_invitation($1)",
      params: [x.invitationA.id],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT404",
      anonymous: "error:42501",
    },
  );

  matrix(
    w,
    "accept_invitation(pending in A, addressed to someone else)",
    (x) => ({
      text: "select * from public.accept_invitation($1)",
      params: [x.invitationA.token],
    }),
    {
      owner: "error:PT403",
      admin: "error:PT403",
      member: "error:PT403",
      viewer: "error:PT403",
      outsider: "error:PT403",
      anonymous: "error:42501",
    },
  );
});

describe("rpc: invariants", () => {
  it("create_organization makes the caller the single owner and rejects taken or reserved slugs", async () => {
    const user = await createUser("creator");
    const slug = `solo-${user.id.slice(0, 8)}`;
    const [org] = await asOk<{ id: string; created_by: string }>(
      user,
      "select * from public.create_organization('Solo', $1)",
      [slug],
    );
    expect(org?.created_by).toBe(user.id);
    const members = await asOk<{ user_id: string; role: string }>(
      user,
      "select user_id, role from public.memberships where organization_id = $1",
      [org?.id],
    );
    expect(members).toEqual([{ user_id: user.id, role: "owner" }]);
    const again = await as(user, "select * from public.create_organization('Again', $1)", [slug]);
    expect(again.ok ? "ok" : again.error.code).toBe("PT409");
    for (const bad of ["settings", "sign-in", "a", "Bad Slug", "x--y"]) {
      const out = await as(user, "select * from public.create_organization('X', $1)", [bad]);
      expect(out.ok ? "ok" : out.error.code, bad).toBe("PT422");
    }
    const anon = await as("anon", "select * from public.create_organization('X', 'anon-org-x')");
    expect(anon.ok ? "ok" : anon.error.code).toBe("42501");
  });

  it("an invitation is accepted once, by its addressee, before it expires or is revoked", async () => {
    const invitee = await createUser("invitee");
    const [inv] = await asOk<{ invitation_id: string; token: string }>(
      world.users.admin,
      "select invitation_id, token from public.create_invitation($1, upper($2), 'viewer')",
      [world.orgA.id, invitee.email],
    );
    const [preview] = await asOk<{ status: string; email: string }>(
      invitee,
      "select status, email from public.get_invitation($1)",
      [inv?.token],
    );
    expect(preview).toEqual({ status: "pending", email: invitee.email });
    const [org] = await asOk<{ slug: string }>(
      invitee,
      "select slug from public.accept_invitation($1)",
      [inv?.token],
    );
    expect(org?.slug).toBe(world.orgA.slug);
    const reused = await as(invitee, "select public.accept_invitation($1)", [inv?.token]);
    expect(reused.ok ? "ok" : reused.error.code).toBe("PT410");

    const late = await createUser("late");
    const [expired] = await asOk<{ invitation_id: string; token: string }>(
      world.users.owner,
      "select invitation_id, token from public.create_invitation($1, $2, 'member')",
      [world.orgA.id, late.email],
    );
    await asSuperuser(
      "update public.invitations set expires_at = now() - interval '1 second' where id = $1",
      [expired?.invitation_id],
    );
    const tooLate = await as(late, "select public.accept_invitation($1)", [expired?.token]);
    expect(tooLate.ok ? "ok" : tooLate.error.code).toBe("PT410");

    const revokedUser = await createUser("revoked");
    const [revoked] = await asOk<{ invitation_id: string; token: string }>(
      world.users.owner,
      "select invitation_id, token from public.create_invitation($1, $2, 'member')",
      [world.orgA.id, revokedUser.email],
    );
    await asOk(world.users.admin, "select public.revoke_invitation($1)", [revoked?.invitation_id]);
    const afterRevoke = await as(revokedUser, "select public.accept_invitation($1)", [
      revoked?.token,
    ]);
    expect(afterRevoke.ok ? "ok" : afterRevoke.error.code).toBe("PT410");
  });

  it("the raw token is never stored, only its SHA-256", async () => {
    const [inv] = await asOk<{ invitation_id: string; token: string }>(
      world.users.owner,
      "select invitation_id, token from public.create_invitation($1, $2, 'member')",
      [world.orgA.id, `hash-${Date.now()}@rls.test`],
    );
    expect(inv?.token).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await asSuperuser<Record<string, unknown>>(
      "select * from public.invitations where id = $1",
      [inv?.invitation_id],
    );
    expect(JSON.stringify(row)).not.toContain(inv?.token);
    const { createHash } = await import("node:crypto");
    expect(row?.token_hash).toBe(
      createHash("sha256")
        .update(inv?.token ?? "")
        .digest("hex"),
    );
  });

  it("an owner invitation transfers ownership on acceptance; still exactly one owner", async () => {
    const world2 = await buildWorld("own");
    const heir = await createUser("heir");
    const [inv] = await asOk<{ token: string }>(
      world2.users.owner,
      "select token from public.create_invitation($1, $2, 'owner')",
      [world2.orgA.id, heir.email],
    );
    await asOk(heir, "select public.accept_invitation($1)", [inv?.token]);
    const owners = await asSuperuser<{ user_id: string }>(
      "select user_id from public.memberships where organization_id = $1 and role = 'owner'",
      [world2.orgA.id],
    );
    expect(owners).toEqual([{ user_id: heir.id }]);
    const [previous] = await asSuperuser<{ role: string }>(
      "select role from public.memberships where organization_id = $1 and user_id = $2",
      [world2.orgA.id, world2.users.owner.id],
    );
    expect(previous?.role).toBe("admin");
  });

  it("exactly one owner is enforced whatever the caller, even the superuser", async () => {
    const world3 = await buildWorld("one");
    // zero owners
    await expect(
      asSuperuser(
        "update public.memberships set role = 'admin' where organization_id = $1 and role = 'owner'",
        [world3.orgA.id],
      ),
    ).rejects.toMatchObject({ code: "23514" });
    // two owners
    await expect(
      asSuperuser(
        "update public.memberships set role = 'owner' where organization_id = $1 and user_id = $2",
        [world3.orgA.id, world3.users.admin.id],
      ),
    ).rejects.toMatchObject({ code: "23505" });
    // deleting the owner
    await expect(
      asSuperuser("delete from public.memberships where organization_id = $1 and role = 'owner'", [
        world3.orgA.id,
      ]),
    ).rejects.toMatchObject({ code: "23514" });
    // a workspace without an owner cannot be created
    await expect(
      asSuperuser(
        "insert into public.organizations (name, slug, created_by) values ('No owner', $1, $2)",
        [`no-owner-${world3.orgA.id.slice(0, 8)}`, world3.users.owner.id],
      ),
    ).rejects.toMatchObject({ code: "23514" });
    // the owner's account cannot be deleted while they own a workspace
    await expect(
      asSuperuser("delete from auth.users where id = $1", [world3.users.owner.id]),
    ).rejects.toMatchObject({ code: "23514" });
  });

  it("every change is in the audit log, attributed to its actor", async () => {
    const world4 = await buildWorld("trail");
    await asOk(world4.users.owner, "select public.change_member_role($1, $2, 'admin')", [
      world4.orgA.id,
      world4.users.viewer.id,
    ]);
    const entries = await asOk<{ action: string; actor_id: string; metadata: { from?: string } }>(
      world4.users.admin,
      "select action, actor_id, metadata from public.list_audit_log($1)",
      [world4.orgA.id],
    );
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "organization.created",
        "invitation.created",
        "invitation.accepted",
        "member.added",
        "member.role_changed",
      ]),
    );
    const change = entries.find((e) => e.action === "member.role_changed");
    expect(change?.actor_id).toBe(world4.users.owner.id);
    expect(change?.metadata.from).toBe("viewer");
  });
});

describe("rpc: invitation rate limit", () => {
  it("refuses the 101st invitation of a workspace within an hour with PT429", async () => {
    const limited = await buildWorld("flood");
    // 4 invitations exist already (3 accepted + 1 pending); fill up to 100 in the last hour
    await asSuperuser(
      `insert into public.invitations (organization_id, email, role, token_hash)
       select $1::uuid, 'flood-' || g || '@rls.test', 'viewer', encode(sha256(convert_to(g::text || $1::text, 'UTF8')), 'hex')
       from generate_series(1, 96) g`,
      [limited.orgA.id],
    );
    const out = await as(
      limited.users.owner,
      "select * from public.create_invitation($1, $2, 'viewer')",
      [limited.orgA.id, "one-too-many@rls.test"],
    );
    expect(out.ok ? "ok" : out.error.code).toBe("PT429");
    const other = await as(
      limited.users.outsider,
      "select * from public.create_invitation($1, $2, 'viewer')",
      [limited.orgB.id, "elsewhere@rls.test"],
    );
    expect(other.ok).toBe(true);
  });
});
