import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { digestDay, digestOccurrence, digestMailInput, hasNews } = await import(
  "@/lib/notifications/daily-digest"
);
const { renderDigestMail } = await import("@/lib/mail/templates/daily-digest");

const summary = {
  newBugs: 3,
  critical: [{ id: "b1", title: "<script>alert(1)</script> checkout" }],
  shipped: 1,
  usage: { used: 7, allowance: 10 },
};
const input = (role: string) =>
  digestMailInput({
    to: "a@example.com",
    role,
    workspace: { name: "Acme", slug: "acme" },
    summary,
    day: "2026-12-06",
    site: "https://app.example.com",
    unsubscribeUrl: "https://app.example.com/unsubscribe?token=t",
    settingsUrl: "https://app.example.com/acme/settings/notifications",
  });

describe("the daily digest", () => {
  it("is keyed by the UTC day, so two runs the same day are one occurrence", () => {
    const a = digestOccurrence("org", new Date("2026-12-06T00:00:01Z"));
    const b = digestOccurrence("org", new Date("2026-12-06T23:59:59Z"));
    expect(a.key).toBe("daily_digest:2026-12-06");
    expect(b.key).toBe(a.key);
    expect(digestDay(new Date("2026-12-07T00:00:00Z"))).toBe("2026-12-07");
  });

  it("has nothing to say without new bugs or shipped fixes, whatever the usage", () => {
    expect(
      hasNews({ newBugs: 0, critical: [], shipped: 0, usage: { used: 9, allowance: 10 } }),
    ).toBe(false);
    expect(hasNews({ newBugs: 0, critical: [], shipped: 1, usage: null })).toBe(true);
    expect(hasNews({ newBugs: 1, critical: [], shipped: 0, usage: null })).toBe(true);
  });

  it("shows usage to owners and admins only", () => {
    expect(renderDigestMail(input("owner")).text).toContain("7 of 10 Mapped Bugs included");
    expect(renderDigestMail(input("admin")).text).toContain("7 of 10 Mapped Bugs included");
    for (const role of ["member", "viewer"]) {
      expect(renderDigestMail(input(role)).text).not.toContain("Mapped Bugs included");
      expect(renderDigestMail(input(role)).html).not.toContain("/settings/billing");
    }
  });

  it("escapes bug titles in the HTML and links each critical bug", () => {
    const mail = renderDigestMail(input("member"));
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.text).toContain("https://app.example.com/acme/bugs/b1");
    expect(mail.subject).toBe("[Acme] Your day in Patchline: 3 new Mapped Bugs");
    expect(mail.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });
});
