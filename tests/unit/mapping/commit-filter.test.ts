import { describe, expect, it } from "vitest";
import {
  cleanMessage,
  filesToPair,
  MAX_SOURCE_FILES,
  skipCommit,
} from "@/lib/pipeline/mapping/vocabulary/commit-filter";

/**
 * The one commit filter of both vocabulary learners (the offline corpus and each workspace's own
 * history): which commits are fixes, and their messages as text.
 */

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

  it("drops a `#123` or `owner/repo#123` standing inside a sentence", () => {
    expect(
      cleanMessage(
        "Daily summary misses evening orders\n\nFixes https://tracker.example/issues/12 and #12, see acme/shop#7",
      ),
    ).toBe("Daily summary misses evening orders\n\nFixes and , see");
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
  const human = { name: "Jane Doe", email: "jane@example.com", login: "jane" };
  const judge = (text: string) => skipCommit({ parents: 1, author: human, text });
  it.each([
    ["Fix panic when closing an idle connection", undefined],
    ["fix(parser): reject empty header", undefined],
    ["feat: add --since flag to log", undefined],
    ["refactor: split the lexer state machine", undefined],
    ["Bump golang.org/x/net from 0.17.0 to 0.23.0", "dependencies"],
    ["chore(deps): update rust crate serde to v1.0.200", "dependencies"],
    ["chore(deps): bump zod from 4.0.1 to 4.0.2", "dependencies"],
    ["build(deps-dev): bump eslint from 8.1.0 to 8.2.0", "dependencies"],
    ["Update dependency typescript to v5.4.5", "dependencies"],
    ["Release 2.3.0", "release"],
    ["v1.4.2", "release"],
    ["v2.3.1-rc.1", "release"],
    ["chore(release): 3.1.0", "release"],
    ["Prepare release v0.9", "release"],
    ["Run cargo fmt", "formatting"],
    ["style: apply prettier", "formatting"],
    ["Reformat with black", "formatting"],
    ["Fix typos", "formatting"],
    ['Revert "Fix panic when closing"', "revert"],
    ["Revert the retry change", "revert"],
    ["Merge pull request #12 from acme/fix-close", "merge"],
    ["Merge branch 'main' into next", "merge"],
    ["docs: explain the retry budget", "chore"],
    ["ci: cache the cargo registry", "chore"],
    ["test: cover the empty header", "chore"],
    ["build: split the bundle", "chore"],
    ["chore: tidy", "chore"],
    ["wip", "short-message"],
    ["Fixes", "short-message"],
    ["1.2 → 1.3!", "short-message"],
  ])("%s → %s", (subject, expected) => {
    expect(judge(subject)).toBe(expected);
  });

  it("judges the subject, and counts the body's words for the message's length", () => {
    expect(judge("Fix\n\nClose used to succeed twice on an idle connection")).toBeUndefined();
    expect(judge("Fix timeout\n\ndocs: the body is not the subject")).toBeUndefined();
  });

  it("skips merges by their parents", () => {
    const fix = "Fix panic when closing an idle connection";
    expect(skipCommit({ parents: 2, author: human, text: fix })).toBe("merge");
    expect(skipCommit({ parents: 0, author: human, text: fix })).toBeUndefined();
  });

  it("skips bots by name, login or address", () => {
    const text = "Fix panic when closing an idle connection";
    const bot = (author: { name: string; email: string; login?: string | null }) =>
      skipCommit({ parents: 1, author, text });
    expect(bot({ name: "dependabot[bot]", email: "x" })).toBe("bot");
    expect(
      bot({ name: "CI", email: "41898282+github-actions[bot]@users.noreply.github.com" }),
    ).toBe("bot");
    expect(bot({ name: "Renovate Bot", email: "bot@renovateapp.com" })).toBe("bot");
    // the forge's login, when the API gives one, counts like the name
    expect(bot({ name: "Ops", email: "ops@acme.example", login: "renovate" })).toBe("bot");
    for (const login of [
      "dependabot",
      "renovate-bot",
      "github-actions",
      "greenkeeper",
      "snyk-bot",
      "imgbot",
      "pre-commit-ci",
      "someone[bot]",
    ]) {
      expect(bot({ name: "x", email: "x@acme.example", login }), login).toBe("bot");
    }
    expect(bot(human)).toBeUndefined();
  });
});

describe("filesToPair", () => {
  const modified = (path: string) => ({ path, status: "M" });
  const inPlace = (f: { status: string }) => f.status === "M";

  it("keeps the files changed in place, leaving out new ones", () => {
    expect(filesToPair([modified("a.go"), { path: "b.go", status: "A" }], inPlace)).toEqual({
      files: [modified("a.go")],
    });
  });

  it("names why a commit's files make it no fix", () => {
    expect(filesToPair([], inPlace)).toEqual({ skipped: "no-source" });
    expect(filesToPair([{ path: "b.go", status: "A" }], inPlace)).toEqual({
      skipped: "only-new-files",
    });
    const many = Array.from({ length: MAX_SOURCE_FILES + 1 }, (_, i) => modified(`f${i}.go`));
    expect(filesToPair(many, inPlace)).toEqual({ skipped: "too-many-files" });
    expect(filesToPair(many.slice(1), inPlace)).toEqual({ files: many.slice(1) });
    expect(filesToPair(many.slice(0, 3), inPlace, 2)).toEqual({ skipped: "too-many-files" });
  });
});
