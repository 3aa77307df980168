import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, env, formFields, postForm, sandbox, startReceiver } from "./helpers";

const apiUrl = (p: string) => sandbox(`/intercom/api${p}`);
const redirectUri = () => `${env().NEXT_PUBLIC_SITE_URL}/api/integrations/intercom/callback`;

describe("Intercom sandbox", () => {
  const receiver = startReceiver([200]);
  beforeAll(async () => {
    await control("PUT", "/webhook-targets", { intercom: (await receiver).url });
  });
  afterAll(async () => {
    await control("PUT", "/webhook-targets", { intercom: null });
    await (await receiver).close();
  });

  it("OAuth consent → code → token; /me, /teams, a conversation with parts, an admin reply; uninstall revokes", async () => {
    const q = new URLSearchParams({
      client_id: env().INTERCOM_CLIENT_ID!,
      redirect_uri: redirectUri(),
      state: "ic-1",
    });
    const page = await (await fetch(sandbox(`/intercom/app/oauth?${q}`))).text();
    const allowed = await postForm(sandbox("/intercom/app/oauth"), {
      ...formFields(page),
      decision: "allow",
    });
    const loc = new URL(allowed.headers.get("location")!);
    expect(loc.searchParams.get("state")).toBe("ic-1");
    const res = await fetch(apiUrl("/auth/eagle/token"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        code: loc.searchParams.get("code"),
        client_id: env().INTERCOM_CLIENT_ID,
        client_secret: env().INTERCOM_CLIENT_SECRET,
      }),
    });
    const { token } = (await res.json()) as { token: string };
    expect(token).toMatch(/^sbx_ic_at_/);
    const get = (p: string) =>
      fetch(apiUrl(p), {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      });

    const me = (await (await get("/me")).json()) as { app: { id_code: string } };
    expect(me.app.id_code).toBe(env().INTERCOM_APP_ID);
    const teams = (await (await get("/teams")).json()) as { teams: Array<{ name: string }> };
    expect(teams.teams.map((t) => t.name)).toContain("Support");

    const made = await control<{ conversation: { id: string } }>(
      "POST",
      "/intercom/conversations",
      {
        body: "Export to CSV breaks on commas",
        contact: { name: "Robin", email: "robin@customer.example" },
      },
    );
    const id = made.json.conversation.id;
    await control("POST", `/intercom/conversations/${id}/reply`, { body: "Still broken today." });
    const reply = await fetch(apiUrl(`/conversations/${id}/reply`), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        message_type: "note",
        type: "admin",
        admin_id: "2001",
        body: "Mapped to a bug.",
      }),
    });
    expect(reply.status).toBe(200);
    const conv = (await (await get(`/conversations/${id}`)).json()) as {
      source: { body: string; author: { type: string } };
      conversation_parts: {
        conversation_parts: Array<{ part_type: string; author: { type: string } }>;
      };
    };
    expect(conv.source).toMatchObject({
      body: "<p>Export to CSV breaks on commas</p>",
      author: { type: "user" },
    });
    expect(
      conv.conversation_parts.conversation_parts.map((p) => `${p.part_type}:${p.author.type}`),
    ).toEqual(["comment:user", "note:admin"]);

    const bad = await fetch(apiUrl(`/conversations/${id}/reply`), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "admin" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { type: string }).type).toBe("error.list");

    expect(
      (
        await fetch(apiUrl("/auth/uninstall"), {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
    expect((await get("/me")).status).toBe(401);
  });

  it("signs notifications with sha1 of the body keyed by the client secret; body id notif_…, app_id", async () => {
    const rx = await receiver;
    const got = await rx.waitFor(3);
    for (const r of got) {
      const expected = `sha1=${createHmac("sha1", env().INTERCOM_CLIENT_SECRET!).update(r.raw).digest("hex")}`;
      expect(r.headers["x-hub-signature"]).toBe(expected);
    }
    const bodies = got.map(
      (r) => JSON.parse(r.raw.toString()) as { id: string; app_id: string; topic: string },
    );
    // Deliveries run concurrently: arrival order is not creation order.
    expect(bodies.map((b) => b.topic).sort()).toEqual([
      "conversation.admin.noted",
      "conversation.user.created",
      "conversation.user.replied",
    ]);
    for (const b of bodies) {
      expect(b.id).toMatch(/^notif_/);
      expect(b.app_id).toBe(env().INTERCOM_APP_ID);
    }
  });
});
