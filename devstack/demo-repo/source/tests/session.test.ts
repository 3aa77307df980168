import { describe, expect, it } from "vitest";
import { ABSOLUTE_LIFETIME_MS, isSessionExpired } from "../src/auth/session.js";
import type { Session } from "../src/db/types.js";

const start = new Date("2024-03-01T09:00:00Z");
const session = (rememberMe: boolean, lastSeenAt = start): Session => ({
  id: "s",
  customerId: "c",
  createdAt: start,
  lastSeenAt,
  rememberMe,
});
const after = (ms: number) => new Date(start.getTime() + ms);

describe("isSessionExpired", () => {
  it("keeps an active session", () => {
    expect(isSessionExpired(session(false), after(5 * 60 * 1000))).toBe(false);
  });

  it("keeps a remembered session across days", () => {
    expect(isSessionExpired(session(true), after(3 * 24 * 3600 * 1000))).toBe(false);
  });

  it("ends any session past the absolute lifetime", () => {
    expect(isSessionExpired(session(true), after(ABSOLUTE_LIFETIME_MS + 40 * 24 * 3600 * 1000))).toBe(
      true,
    );
  });
});
