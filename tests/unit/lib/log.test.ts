import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, scrub, scrubSentryEvent, scrubString } from "@/lib/log";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6ImF1dGhlbnRpY2F0ZWQifQ.sig_nature-abc";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  return { logger, text: () => lines.join("") };
}

describe("lib/log scrubbing", () => {
  it("removes emails, JWTs, bearer tokens, cookies and token parameters from strings", () => {
    const out = scrubString(
      `user Alice.Smith+x@Example.co.uk failed; Authorization: Bearer ${JWT}; ` +
        "cookie sb-127-auth-token=base64-eyJhY2Nlc3NfdG9rZW4iOiJ4eHgifQ; " +
        "link https://app.test/invite/0e998c4b061e4397aa83054669f3f5e7b76ed5c9c75744ee89c25cdefee621ad " +
        "and /auth/confirm?token_hash=abc123&type=signup&code=xyz789 password=hunter2",
    );
    expect(out).not.toMatch(/Alice|Example\.co\.uk/);
    expect(out).not.toContain("eyJ");
    expect(out).not.toContain("0e998c4b061e");
    expect(out).not.toContain("abc123");
    expect(out).not.toContain("xyz789");
    expect(out).not.toContain("hunter2");
    expect(out).toContain("[email]");
    expect(out).toContain("type=signup");
  });

  it("redacts sensitive keys at any depth and keeps the rest", () => {
    const out = scrub({
      user: { id: "u1", email: "a@b.co", profile: { password: "p", nested: [{ apiKey: "k" }] } },
      headers: { cookie: "x", Authorization: "Basic abc", "x-request-id": "r1" },
      session: { access_token: "a", refresh_token: "b" },
      organizationId: "org-1",
      status: 200,
    }) as Record<string, unknown>;
    expect(out).toEqual({
      user: {
        id: "u1",
        email: REDACTED,
        profile: { password: REDACTED, nested: [{ apiKey: REDACTED }] },
      },
      headers: { cookie: REDACTED, Authorization: REDACTED, "x-request-id": "r1" },
      session: REDACTED,
      organizationId: "org-1",
      status: 200,
    });
  });

  it("keeps a commit id under a commit key and scrubs anything else there", () => {
    const sha = "3f786850e387550fdab836ed7e6dc881de23001b";
    const out = scrub({
      sha,
      headSha: sha,
      merge_commit_sha: sha,
      commit: sha,
      note: `deployed ${sha}`,
      sha256: sha,
      headSha2: sha,
      commitSha: "ghp_0123456789abcdefghijklmnopqrstuvwxyzABCD",
    }) as Record<string, string>;
    expect(out.sha).toBe(sha);
    expect(out.headSha).toBe(sha);
    expect(out.merge_commit_sha).toBe(sha);
    expect(out.commit).toBe(sha);
    expect(out.note).toBe("deployed [token]");
    expect(out.sha256).toBe("[token]");
    expect(out.headSha2).toBe("[token]");
    expect(out.commitSha).not.toContain("ghp_0123");
  });

  it("turns errors into plain, scrubbed objects and survives cycles", () => {
    const error = new Error("invite for bob@example.com failed");
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    const out = scrub({ err: error, cyclic }) as { err: { message: string }; cyclic: unknown };
    expect(out.err.message).toBe("invite for [email] failed");
    expect(JSON.stringify(out)).toContain("[circular]");
  });

  it("keeps secrets out of real pino output: objects, messages, format args and child bindings", () => {
    const { logger, text } = capture();
    logger.info({ email: "carol@example.com", token: "t0ps3cr3t" }, "signed in carol@example.com");
    logger.warn("refresh failed for %s with %s", "dave@example.com", `Bearer ${JWT}`);
    logger
      .child({ userEmail: "erin@example.com" })
      .error(new Error("password=letmein123 rejected"));
    const out = text();
    for (const secret of ["carol@", "dave@", "erin@", "t0ps3cr3t", "letmein123", "eyJhbGci"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("signed in [email]");
    expect(out.trim().split("\n")).toHaveLength(3);
  });
});

describe("Sentry scrubbing", () => {
  it("scrubs cookies, headers, user email and IP but keeps event and trace ids", () => {
    const event = {
      event_id: "0123456789abcdef0123456789abcdef",
      contexts: {
        trace: { trace_id: "fedcba9876543210fedcba9876543210", span_id: "0123456789abcdef" },
      },
      request: {
        url: "https://app.test/invite/0e998c4b061e4397aa83054669f3f5e7b76ed5c9c75744ee89c25cdefee621ad",
        cookies: { "sb-ref-auth-token": "base64-xyz" },
        headers: { Authorization: "Bearer abc", "User-Agent": "UA" },
      },
      user: { id: "u1", email: "x@y.co", ip_address: "10.0.0.1" },
      exception: { values: [{ type: "Error", value: "no user z@y.co" }] },
    };
    const out = scrubSentryEvent(event);
    expect(out.event_id).toBe(event.event_id);
    expect(out.contexts.trace.trace_id).toBe(event.contexts.trace.trace_id);
    expect(out.request.cookies).toBe(REDACTED);
    expect(out.request.headers.Authorization).toBe(REDACTED);
    expect(out.request.headers["User-Agent"]).toBe("UA");
    expect(out.request.url).not.toContain("0e998c4b");
    expect(out.user).toEqual({ id: "u1", email: REDACTED });
    expect(out.exception.values[0]?.value).toBe("no user [email]");
  });
});
