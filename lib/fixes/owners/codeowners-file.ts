import { formatOwner, ownersOf, parseCodeOwners } from "../codeowners";
import { type OwnerScore, ownersUnder, type SynthesizedOwners } from "../owner-synthesis";

/**
 * A `.github/CODEOWNERS` file written from the synthesised owners, in GitHub's syntax, so that
 * GitHub (last matching pattern wins) requests the owners Patchline would: for each path the
 * heaviest owners with a GitHub login (at most three, each with at least a quarter of the top
 * weight, as `suggestedOwners` keeps them). Only logins: an email in CODEOWNERS works only for a
 * verified address GitHub can map, and a synthesised owner without a login is just an address.
 *
 * To keep the file short the rules go from the root down: `*` for the repository's owners, an
 * anchored `/dir/` where a directory's owners differ from its parent's, then `/path` for each
 * file whose owners differ from its directory's (an empty rule where nobody with a login owns
 * it). Shallower rules come first so the deeper, more specific one is the last match. The file is
 * then read back with our GitHub-rules matcher and any path that would not get its owners gets an
 * exact rule at the end.
 */

const LIMIT = 3;
const MIN_SHARE = 0.25;
/** A GitHub login as CODEOWNERS accepts it after the `@`. */
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;

function pick(owners: readonly OwnerScore[]): string[] {
  const top = owners[0]?.weight ?? 0;
  return owners
    .filter((o) => o.weight >= top * MIN_SHARE)
    .slice(0, LIMIT)
    .flatMap((o) => (o.login && LOGIN.test(o.login) ? [o.login] : []));
}

/** The logins a path should be owned by, heaviest first (empty: nobody with a login). */
export function intendedOwners(result: SynthesizedOwners, path: string): string[] {
  return pick(result.byPath.get(path) ?? []);
}

/**
 * A path as an anchored CODEOWNERS pattern (spaces escaped with a backslash, as GitHub documents),
 * or null for a path the syntax cannot say literally: glob characters, a backslash, a control
 * character (rare in a repository; such a file is owned by its directory's rule).
 */
export function pathPattern(path: string, directory = false): string | null {
  const control = [...path].some((ch) => ch.charCodeAt(0) < 0x20);
  if (!path || control || /[*?[\]\\]/.test(path) || path.startsWith("/") || path.includes("//"))
    return null;
  return `/${path.replace(/ /g, "\\ ")}${directory ? "/" : ""}`;
}

const line = (pattern: string, logins: readonly string[]) =>
  [pattern, ...logins.map((login) => formatOwner({ kind: "user", login }))].join(" ");

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]?.toLowerCase());

const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

export interface CodeownersFile {
  text: string;
  /** The rules written (not counting comments). */
  rules: number;
  /** Paths the syntax cannot express (left to the directory's rule). */
  skipped: string[];
}

export function buildCodeowners(
  result: SynthesizedOwners,
  { header = [] as string[] } = {},
): CodeownersFile {
  const paths = [...result.byPath.keys()].sort();
  const directories = new Set<string>();
  for (const p of paths) {
    for (let d = parentOf(p); d; d = parentOf(d)) directories.add(d);
  }
  const depth = (p: string) => p.split("/").length;
  const byDepth = [...directories].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));

  const lines: string[] = [];
  const skipped: string[] = [];
  const effective = new Map<string, string[]>();
  const root = pick(ownersUnder(result, ""));
  effective.set("", root);
  if (root.length) lines.push(line("*", root));
  for (const dir of byDepth) {
    const inherited = effective.get(parentOf(dir)) ?? [];
    const own = pick(ownersUnder(result, dir));
    const pattern = pathPattern(dir, true);
    if (own.length && !same(own, inherited) && pattern) {
      lines.push(line(pattern, own));
      effective.set(dir, own);
    } else effective.set(dir, inherited);
  }
  const fileRules: string[] = [];
  for (const path of paths) {
    const want = intendedOwners(result, path);
    if (same(want, effective.get(parentOf(path)) ?? [])) continue;
    const pattern = pathPattern(path);
    if (pattern) fileRules.push(line(pattern, want));
    else skipped.push(path);
  }
  lines.push(...fileRules);

  // read it back the way GitHub does; a path that would not get its owners gets an exact rule at
  // the end (a file that was also a directory name once can shadow its old children: re-check)
  for (let pass = 0; pass < 3; pass++) {
    const parsed = parseCodeOwners(lines.join("\n"));
    const fixes: string[] = [];
    for (const path of paths) {
      const pattern = pathPattern(path);
      if (!pattern) continue;
      const want = intendedOwners(result, path);
      const got = ownersOf(parsed, path).map((o) => (o.kind === "user" ? o.login : formatOwner(o)));
      if (!same(want, got)) fixes.push(line(pattern, want));
    }
    if (fixes.length === 0) break;
    lines.push(...fixes);
  }
  const text = [...header.map((h) => `# ${h}`.trimEnd()), ...(header.length ? [""] : []), ...lines]
    .join("\n")
    .concat("\n");
  return { text, rules: lines.length, skipped };
}
