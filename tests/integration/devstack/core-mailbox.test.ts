import { describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";

const url = (p: string) => `${devstackEnv().MAILBOX_URL}${p}`;
const to = `mailbox-${Date.now()}@example.test`;

async function post(body: unknown, raw?: string) {
  return fetch(url("/api/v1/send"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ?? JSON.stringify(body),
  });
}

describe("mailbox", () => {
  it("captures a message and lists it for its recipient, newest first", async () => {
    expect((await post({ to, subject: "first", text: "one" })).status).toBe(201);
    const sent = await post({ to, subject: "second", html: "<p>two <a href='x'>link</a></p>" });
    const { id } = (await sent.json()) as { id: string };
    const list = (await (
      await fetch(url(`/api/v1/messages?to=${encodeURIComponent(to)}`))
    ).json()) as {
      messages: Array<{ subject: string }>;
    };
    expect(list.messages.map((m) => m.subject)).toEqual(["second", "first"]);
    const one = (await (await fetch(url(`/api/v1/messages/${id}`))).json()) as {
      html: string;
      to: string;
    };
    expect(one).toMatchObject({ to, html: "<p>two <a href='x'>link</a></p>" });
  });

  it("shows messages to people, escaping their content", async () => {
    await post({ to, subject: "<script>alert(1)</script>", text: "x" });
    const page = await (await fetch(url("/"))).text();
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
  });

  it("refuses bad input with a 4xx and stores nothing", async () => {
    const bad = `bad-${Date.now()}@example.test`;
    expect((await post(undefined, "{not json")).status).toBe(400);
    expect((await post({ to: "not-an-email", subject: "x", text: "y" })).status).toBe(422);
    expect((await post({ to: bad, subject: "no body" })).status).toBe(422);
    const list = (await (await fetch(url(`/api/v1/messages?to=${bad}`))).json()) as {
      total: number;
    };
    expect(list.total).toBe(0);
  });

  it("deletes a recipient's messages", async () => {
    const del = await fetch(url(`/api/v1/messages?to=${encodeURIComponent(to)}`), {
      method: "DELETE",
    });
    expect(((await del.json()) as { deleted: number }).deleted).toBe(3);
  });
});
