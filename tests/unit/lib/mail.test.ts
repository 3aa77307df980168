import { describe, expect, it } from "vitest";
import { createMailboxTransport } from "@/lib/mail/mailbox-transport";
import { createResendTransport } from "@/lib/mail/resend-transport";
import { renderInvitationMail } from "@/lib/mail/templates/invitation";

function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fn, calls };
}

const MESSAGE = { to: "a@b.co", subject: "Hi", html: "<p>Hi</p>", text: "Hi" };

describe("lib/mail transports", () => {
  it("posts to the devstack mailbox API with source app", async () => {
    const { fn, calls } = fakeFetch(201, { id: "m1" });
    const transport = createMailboxTransport({
      mailboxUrl: "http://127.0.0.1:54324",
      from: "Patchline <no-reply@patchline.dev>",
      fetch: fn,
    });
    expect(await transport.send(MESSAGE)).toEqual({ id: "m1" });
    expect(calls[0]?.url).toBe("http://127.0.0.1:54324/api/v1/send");
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      ...MESSAGE,
      from: "Patchline <no-reply@patchline.dev>",
      source: "app",
    });
  });

  it("posts to Resend with the API key and fails loudly on errors", async () => {
    const ok = fakeFetch(200, { id: "r1" });
    const transport = createResendTransport({ apiKey: "re_123", from: "x@y.dev", fetch: ok.fn });
    expect(await transport.send(MESSAGE)).toEqual({ id: "r1" });
    expect(ok.calls[0]?.url).toBe("https://api.resend.com/emails");
    expect(new Headers(ok.calls[0]?.init.headers).get("authorization")).toBe("Bearer re_123");
    expect(JSON.parse(String(ok.calls[0]?.init.body)).to).toEqual(["a@b.co"]);
    const failing = createResendTransport({
      apiKey: "k",
      from: "x@y.dev",
      fetch: fakeFetch(422, {}).fn,
    });
    await expect(failing.send(MESSAGE)).rejects.toThrow(/422/);
  });
});

describe("invitation mail", () => {
  it("escapes the workspace name and carries the link in both parts", () => {
    const mail = renderInvitationMail({
      to: "new@b.co",
      organizationName: '<script>alert("x")</script>',
      inviterEmail: "owner@b.co",
      roleLabel: "Admin",
      acceptUrl: "https://app.test/invite/abc",
      expiresAt: new Date("2026-11-30T12:00:00Z"),
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).toContain('href="https://app.test/invite/abc"');
    expect(mail.text).toContain("https://app.test/invite/abc");
    expect(mail.text).toContain("as Admin");
    expect(mail.subject).toContain("on Patchline");
  });
});
