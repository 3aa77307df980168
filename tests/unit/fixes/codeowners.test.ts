import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compilePattern,
  formatOwner,
  matchingRule,
  ownersOf,
  parseCodeOwners,
  reviewersFor,
} from "@/lib/fixes/codeowners";

/**
 * GitHub's example CODEOWNERS file from "About code owners" (docs.github.com), with the owners its
 * comments promise for each kind of path. The last two `/apps/` blocks are the docs' two separate
 * examples; here they are checked one file at a time, since in one file the later block wins.
 */
const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The \`docs/*\` pattern will match files like
# \`docs/getting-started.md\` but not further nested files like
# \`docs/build-app/troubleshooting.md\`.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the \`/docs\`
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the \`/scripts\` directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a \`/logs\` directory such as
# \`/build/logs\`, \`/scripts/logs\`, and \`/deeply/nested/logs\`. Any changes
# in a \`/logs\` directory will require approval from @octocat.
**/logs @octocat
`;

const owners = (text: string, path: string) =>
  ownersOf(parseCodeOwners(text), path).map(formatOwner);

describe("lib/fixes/codeowners: GitHub's documented example", () => {
  const file = parseCodeOwners(GITHUB_EXAMPLE);

  it("parses every rule and no error", () => {
    expect(file.errors).toEqual([]);
    expect(file.rules.map((r) => r.pattern)).toEqual([
      "*",
      "*.js",
      "*.go",
      "*.txt",
      "/build/logs/",
      "docs/*",
      "apps/",
      "/docs/",
      "/scripts/",
      "**/logs",
    ]);
    expect(file.rules[0]?.line).toBe(8);
  });

  it("gives the default owners to a path nothing later matches", () => {
    expect(owners(GITHUB_EXAMPLE, "README.md")).toEqual(["@global-owner1", "@global-owner2"]);
    expect(owners(GITHUB_EXAMPLE, "src/deep/file.css")).toEqual([
      "@global-owner1",
      "@global-owner2",
    ]);
  });

  it("lets the last matching pattern win, and ignores an inline comment", () => {
    expect(owners(GITHUB_EXAMPLE, "src/index.js")).toEqual(["@js-owner"]);
    expect(owners(GITHUB_EXAMPLE, "index.js")).toEqual(["@js-owner"]);
    // apps/ comes after *.js
    expect(owners(GITHUB_EXAMPLE, "apps/web/index.js")).toEqual(["@octocat"]);
  });

  it("accepts an email owner and a team owner", () => {
    expect(ownersOf(file, "cmd/main.go")).toEqual([{ kind: "email", email: "docs@example.com" }]);
    expect(ownersOf(file, "notes/todo.txt")).toEqual([
      { kind: "team", org: "octo-org", slug: "octocats" },
    ]);
  });

  it("anchors /build/logs/ at the root and owns its subdirectories", () => {
    expect(owners(GITHUB_EXAMPLE, "build/logs/today.txt")).toEqual(["@octocat"]); // **/logs later
    const alone = "/build/logs/ @doctocat\n";
    expect(owners(alone, "build/logs/today.log")).toEqual(["@doctocat"]);
    expect(owners(alone, "build/logs/2026/12/today.log")).toEqual(["@doctocat"]);
    expect(owners(alone, "src/build/logs/today.log")).toEqual([]);
    expect(owners(alone, "build/logs")).toEqual([]); // a file named logs is not the directory
  });

  it("docs/* owns the files directly in docs/, not nested ones", () => {
    const alone = "docs/*  docs@example.com\n";
    expect(owners(alone, "docs/getting-started.md")).toEqual(["docs@example.com"]);
    expect(owners(alone, "docs/build-app/troubleshooting.md")).toEqual([]);
    // a slash in the middle anchors it: not a docs/ folder elsewhere
    expect(owners(alone, "src/docs/getting-started.md")).toEqual([]);
  });

  it("apps/ owns an apps directory anywhere", () => {
    const alone = "apps/ @octocat\n";
    expect(owners(alone, "apps/web/page.tsx")).toEqual(["@octocat"]);
    expect(owners(alone, "services/apps/worker.ts")).toEqual(["@octocat"]);
    expect(owners(alone, "myapps/x.ts")).toEqual([]);
  });

  it("/docs/ owns the root docs directory and all below it", () => {
    expect(owners(GITHUB_EXAMPLE, "docs/getting-started.md")).toEqual(["@doctocat"]);
    expect(owners(GITHUB_EXAMPLE, "docs/build-app/troubleshooting.md")).toEqual(["@doctocat"]);
  });

  it("/scripts/ has two owners", () => {
    expect(owners(GITHUB_EXAMPLE, "scripts/deploy.sh")).toEqual(["@doctocat", "@octocat"]);
  });

  it("**/logs owns a logs directory at any depth", () => {
    for (const path of ["build/logs/a", "scripts/logs/b.txt", "deeply/nested/logs/c", "logs/d"]) {
      expect(owners(GITHUB_EXAMPLE, path), path).toEqual(["@octocat"]);
    }
    expect(owners(GITHUB_EXAMPLE, "catalogs/x.md")).toEqual(["@global-owner1", "@global-owner2"]);
  });

  it("a pattern with no owners leaves the path without owners (the docs' /apps/github)", () => {
    const text = "/apps/ @octocat\n/apps/github\n";
    expect(owners(text, "apps/web/x.ts")).toEqual(["@octocat"]);
    expect(owners(text, "apps/github/x.ts")).toEqual([]);
    expect(matchingRule(parseCodeOwners(text), "apps/github/x.ts")?.pattern).toBe("/apps/github");
  });

  it("a subdirectory with its own owner overrides the directory (the docs' /apps/github @doctocat)", () => {
    const text = "/apps/ @octocat\n/apps/github @doctocat\n";
    expect(owners(text, "apps/github/deep/x.ts")).toEqual(["@doctocat"]);
    expect(owners(text, "apps/gitlab/x.ts")).toEqual(["@octocat"]);
  });
});

describe("lib/fixes/codeowners: patterns", () => {
  it("/* owns root files only; * owns everything", () => {
    expect(owners("/* @root\n", "package.json")).toEqual(["@root"]);
    expect(owners("/* @root\n", "src/index.ts")).toEqual([]);
    expect(owners("* @all\n", "a/b/c/d.ts")).toEqual(["@all"]);
  });

  it("** in the middle matches zero or more directories", () => {
    const text = "src/**/test.ts @t\n";
    expect(owners(text, "src/test.ts")).toEqual(["@t"]);
    expect(owners(text, "src/a/b/test.ts")).toEqual(["@t"]);
    expect(owners(text, "lib/src/test.ts")).toEqual([]);
    expect(owners("docs/** @d\n", "docs/a/b.md")).toEqual(["@d"]);
    expect(owners("docs/** @d\n", "docs")).toEqual([]);
  });

  it("a bare name owns a file or directory of that name anywhere", () => {
    expect(owners("Makefile @m\n", "tools/Makefile")).toEqual(["@m"]);
    expect(owners("vendor @v\n", "a/vendor/lib/x.c")).toEqual(["@v"]);
    expect(owners("vendor @v\n", "a/vendors/x.c")).toEqual([]);
  });

  it("* and ? stay within one segment", () => {
    expect(owners("/src/*.ts @s\n", "src/a.ts")).toEqual(["@s"]);
    expect(owners("/src/*.ts @s\n", "src/lib/a.ts")).toEqual([]);
    expect(owners("file?.md @q\n", "file1.md")).toEqual(["@q"]);
    expect(owners("file?.md @q\n", "file12.md")).toEqual([]);
  });

  it("is case-sensitive", () => {
    expect(owners("/Docs/ @d\n", "docs/a.md")).toEqual([]);
    expect(owners("/Docs/ @d\n", "Docs/a.md")).toEqual(["@d"]);
  });

  it("reads escaped characters literally", () => {
    expect(owners("my\\ file.txt @space\n", "docs/my file.txt")).toEqual(["@space"]);
    expect(owners("/literal\\*.md @star\n", "literal*.md")).toEqual(["@star"]);
    expect(owners("/literal\\*.md @star\n", "literalX.md")).toEqual([]);
    expect(owners("a.b @dot\n", "axb")).toEqual([]);
  });

  it("skips, and reports, the lines GitHub does not support", () => {
    const file = parseCodeOwners(
      "* @all\n!secret.txt @nobody\n\\#hash.md @h\n*.[ch] @c\nfoo.ts not-an-owner\n  # indented comment\n",
    );
    expect(file.rules.map((r) => r.pattern)).toEqual(["*"]);
    expect(file.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(file.errors[0]?.message).toMatch(/negation/);
    expect(file.errors[2]?.message).toMatch(/character ranges/);
    expect(file.errors[3]?.message).toMatch(/not a user, team or email/);
  });

  it("handles CRLF line endings", () => {
    expect(owners("* @a\r\n*.md @b\r\n", "x.md")).toEqual(["@b"]);
  });

  it("never throws on arbitrary text, and a later `*` always wins", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 40 }), (text, path) => {
        const file = parseCodeOwners(text);
        expect(() => ownersOf(file, path)).not.toThrow();
        const withCatchAll = parseCodeOwners(`${text}\n* @last`);
        expect(ownersOf(withCatchAll, path || "x").map(formatOwner)).toEqual(["@last"]);
      }),
    );
  });

  it("compiles a pattern to an anchored regular expression", () => {
    expect(String(compilePattern("/build/logs/"))).toBe("/^build\\/logs\\/.+$/");
    expect(compilePattern("")).toBe("empty pattern");
  });
});

describe("lib/fixes/codeowners: reviewersFor", () => {
  it("collects users, teams and emails once, without the PR's author", () => {
    const file = parseCodeOwners(
      "* @global\n*.ts @ana @octo-org/web\n/db/ @bo ops@example.com @ANA\n",
    );
    expect(reviewersFor(file, ["src/a.ts", "src/b.ts", "db/schema.sql", "README"], "ana")).toEqual({
      users: ["bo", "global"],
      teams: ["web"],
      emails: ["ops@example.com"],
    });
  });
});
