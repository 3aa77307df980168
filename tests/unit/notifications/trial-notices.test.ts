import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { dueTrialNotice } = await import("@/lib/notifications/trial-notices");
const { notificationMessage } = await import("@/lib/notifications/messages");

const DAY = 86_400_000;
const start = new Date("2026-12-01T00:00:00Z");
const end = new Date(start.getTime() + 14 * DAY);
const bugs = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(start.getTime() + i * 1000));
const input = (over: Partial<Parameters<typeof dueTrialNotice>[0]> = {}) => ({
  startedAt: start,
  endsAt: end,
  bugLimit: 10,
  billedAts: bugs(0),
  endingNotified: false,
  endedNotified: false,
  ...over,
});

describe("dueTrialNotice", () => {
  it("says nothing early in a quiet trial", () => {
    expect(dueTrialNotice(input({ billedAts: bugs(7) }), new Date(start.getTime() + DAY))).toBe(
      null,
    );
  });

  it("is ending with 3 days left, not with a minute more than that", () => {
    const threeDaysLeft = new Date(end.getTime() - 3 * DAY);
    expect(dueTrialNotice(input(), threeDaysLeft)).toBe("trial_ending");
    expect(dueTrialNotice(input(), new Date(threeDaysLeft.getTime() - 60_000))).toBe(null);
  });

  it("is ending at 8 of 10 bugs used, not at 7", () => {
    const now = new Date(start.getTime() + DAY);
    expect(dueTrialNotice(input({ billedAts: bugs(8) }), now)).toBe("trial_ending");
    expect(dueTrialNotice(input({ billedAts: bugs(7) }), now)).toBe(null);
  });

  it("has ended by time or at the 10th bug, and says so once", () => {
    expect(dueTrialNotice(input(), end)).toBe("trial_ended");
    const early = new Date(start.getTime() + DAY);
    expect(dueTrialNotice(input({ billedAts: bugs(10) }), early)).toBe("trial_ended");
    expect(dueTrialNotice(input({ endedNotified: true, endingNotified: true }), end)).toBe(null);
    // told it was ending; its end is still news
    expect(dueTrialNotice(input({ endingNotified: true }), end)).toBe("trial_ended");
  });

  it("tells an ending trial once", () => {
    expect(dueTrialNotice(input({ endingNotified: true }), new Date(end.getTime() - DAY))).toBe(
      null,
    );
  });
});

describe("the trial notices' words", () => {
  it("say what to do and link to Settings → Billing", () => {
    for (const reason of ["trial_ending", "trial_ended"]) {
      const m = notificationMessage("billing_action_needed", { reason }, "acme");
      expect(m.title).toMatch(/trial/i);
      expect(m.body).toContain("Subscribe in Settings → Billing");
      expect(m.href).toBe("/acme/settings/billing");
    }
  });
});
