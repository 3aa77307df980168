import { describe, expect, it } from "vitest";
import { cleanMessage, skipCommit } from "@/lib/pipeline/mapping/training/message";

describe("cleanMessage", () => {
  it("keeps subject and body, drops trailers, links, addresses and issue references", () => {
    const message = [
      "Fix panic when closing an idle connection (#2371)",
      "",
      "Fixes #2257",
      "The reader goroutine raced with Close; see https://github.com/acme/api/issues/2257 and",
      "www.example.com/notes for the trace. Reported by <jane@example.com>.",
      "",
      "Signed-off-by: Jane Doe <jane@example.com>",
      "Co-authored-by: Bob <bob@users.noreply.github.com>",
      "Change-Id: I0123456789abcdef",
      "PR-URL: https://github.com/acme/api/pull/2371",
      "(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
    ].join("\n");
    expect(cleanMessage(message)).toBe(
      "Fix panic when closing an idle connection (#2371)\n\n" +
        "The reader goroutine raced with Close; see and\n" +
        "for the trace. Reported by .",
    );
  });

  it("normalises line endings and collapses the blank lines trailers leave", () => {
    expect(cleanMessage("Subject\r\n\r\n\r\nAcked-by: x\r\n\r\nBody [skip ci]\r\n")).toBe(
      "Subject\n\nBody",
    );
  });

  it("keeps a prose line that merely starts with a word and a colon", () => {
    expect(
      cleanMessage("Parser: reject empty header\n\nNote: the length check was off by one"),
    ).toBe("Parser: reject empty header\n\nNote: the length check was off by one");
  });
});

describe("skipCommit", () => {
  const human = { authorName: "Jane Doe", authorEmail: "jane@example.com" };
  it.each([
    ["Fix panic when closing an idle connection", undefined],
    ["fix(parser): reject empty header", undefined],
    ["feat: add --since flag to log", undefined],
    ["refactor: split the lexer state machine", undefined],
    ["Bump golang.org/x/net from 0.17.0 to 0.23.0", "dependencies"],
    ["chore(deps): update rust crate serde to v1.0.200", "dependencies"],
    ["build(deps-dev): bump eslint from 8.1.0 to 8.2.0", "dependencies"],
    ["Update dependency typescript to v5.4.5", "dependencies"],
    ["Release 2.3.0", "release"],
    ["v1.4.2", "release"],
    ["chore(release): 3.1.0", "release"],
    ["Prepare release v0.9", "release"],
    ["Run cargo fmt", "formatting"],
    ["style: apply prettier", "formatting"],
    ["Reformat with black", "formatting"],
    ["Fix typos", "formatting"],
    ['Revert "Fix panic when closing"', "revert"],
    ["docs: explain the retry budget", "chore"],
    ["ci: cache the cargo registry", "chore"],
    ["test: cover the empty header", "chore"],
  ])("%s → %s", (subject, expected) => {
    expect(skipCommit({ subject, ...human })).toBe(expected);
  });

  it("skips bots by name or address", () => {
    const fix = "Fix panic when closing an idle connection";
    expect(skipCommit({ subject: fix, authorName: "dependabot[bot]", authorEmail: "x" })).toBe(
      "bot",
    );
    expect(
      skipCommit({
        subject: fix,
        authorName: "CI",
        authorEmail: "41898282+github-actions[bot]@users.noreply.github.com",
      }),
    ).toBe("bot");
    expect(
      skipCommit({ subject: fix, authorName: "Renovate Bot", authorEmail: "bot@renovateapp.com" }),
    ).toBe("bot");
  });
});
