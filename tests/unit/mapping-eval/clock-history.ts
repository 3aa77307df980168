import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A small Go repository with a known history, for the tests of the offline git reader and of
 * the evaluation's per-repository vocabulary: two fixes before the instance's commit (one more
 * renames the readme and adds a file), the instance's own fix after it, and a side branch that
 * never reaches it. `bare` is its bare clone, as the evaluation's snapshots are.
 */
export interface ClockHistory {
  root: string;
  work: string;
  bare: string;
  initial: string;
  otherFix: string;
  earlierFix: string;
  instance: string;
  sideFix: string;
  laterFix: string;
  /** git in a directory, with fixed author and dates. */
  git: (cwd: string, args: string[]) => string;
  remove: () => void;
}

const CLOCK_V1 =
  "package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400\n}\n\nfunc UtcOffset(zone string) int {\n\treturn 0\n}\n";
const CLOCK_V2 =
  'package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400 + UtcOffset("local")\n}\n\nfunc UtcOffset(zone string) int {\n\treturn 0\n}\n';
const STAMP_V1 = "package clock\n\nfunc PadMinutes(m int) string {\n\treturn fmt.Sprint(m)\n}\n";
const STAMP_V2 =
  'package clock\n\nfunc PadMinutes(m int) string {\n\treturn fmt.Sprintf("%02d", m)\n}\n';
const CLOCK_V3 =
  'package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400 + UtcOffset("local")\n}\n\nfunc UtcOffset(zone string) int {\n\tif zone == "" {\n\t\treturn 0\n\t}\n\treturn 3600\n}\n';

/** Builds the history under a new temporary directory. */
export function buildClockHistory(prefix = "clock-history-"): ClockHistory {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const work = path.join(root, "work");
  const bare = path.join(root, "repo");
  let when = 1_700_000_000;

  function git(cwd: string, args: string[]): string {
    when += 60;
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Jane Doe",
        GIT_AUTHOR_EMAIL: "jane@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@e",
        GIT_AUTHOR_DATE: `${when} +0000`,
        GIT_COMMITTER_DATE: `${when} +0000`,
      },
    }).trim();
  }

  function write(rel: string, text: string): void {
    mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
    writeFileSync(path.join(work, rel), text);
  }

  function commit(message: string): string {
    git(work, ["add", "-A"]);
    git(work, ["commit", "-q", "-m", message]);
    return git(work, ["rev-parse", "HEAD"]);
  }

  git(root, ["init", "-q", "-b", "main", work]);
  write("clock/clock.go", CLOCK_V1);
  write("README.md", "# clock\n");
  write("clock/stamp.go", STAMP_V1);
  const initial = commit("Initial import of the clock package");
  write("clock/stamp.go", STAMP_V2);
  const otherFix = commit("Fix padding of single digit minutes in printed stamps");
  write("clock/clock.go", CLOCK_V2);
  write("README.md", "# clock\n\nDays start at local midnight.\n");
  const earlierFix = commit("Fix summary timezone west of greenwich");
  git(work, ["mv", "README.md", "NOTES.md"]);
  write("clock/extra.go", "package clock\n\nfunc Extra() int {\n\treturn 1\n}\n");
  const instance = commit("Move the readme and add an extra helper");
  // a side branch that is never merged into main
  git(work, ["checkout", "-q", "-b", "side"]);
  write("clock/clock.go", CLOCK_V3);
  const sideFix = commit("Zebra quagga okapi in the offset");
  git(work, ["checkout", "-q", "main"]);
  // the instance's own fix, after its commit
  write("clock/clock.go", CLOCK_V3);
  git(work, ["rm", "-q", "clock/extra.go"]);
  const laterFix = commit("Narwhal platypus axolotl in the offset");
  git(root, ["clone", "-q", "--bare", work, bare]);
  return {
    root,
    work,
    bare,
    initial,
    otherFix,
    earlierFix,
    instance,
    sideFix,
    laterFix,
    git,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
