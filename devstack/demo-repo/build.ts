import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Builds the demo repository `acme/storefront` that the GitHub sandbox serves: a bare git
 * repository made from `source/` with a short fixed history. Authors, dates, modes and bytes are
 * all fixed, so the head sha is the same on every machine and the demo tickets' ground truth
 * (`tickets.json`) can name lines at a known commit.
 */

export const DEMO_REPO_FULL_NAME = "acme/storefront";
export const DEMO_SOURCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "source");

interface Person {
  name: string;
  email: string;
}

interface DemoCommit {
  message: string;
  author: Person;
  /** ISO 8601 with offset; used for both author and committer dates. */
  date: string;
  /** Paths first added by this commit: a path belongs to the first commit with a matching prefix. */
  adds: string[];
  /**
   * A fix of code already there: before this commit each file holds `before` where `source/`
   * has `after` (exactly once), so the commit's diff is the fix and the head is `source/` as is.
   */
  fixes?: Array<{ path: string; before: string; after: string }>;
}

const MAYA: Person = { name: "Maya Lindqvist", email: "maya@acme.example" };
const TOMAS: Person = { name: "Tomás Ortega", email: "tomas@acme.example" };
const PRIYA: Person = { name: "Priya Raman", email: "priya@acme.example" };
const SAM: Person = { name: "Sam Okafor", email: "sam@acme.example" };

/** The history, oldest first. The last commit takes every path no earlier commit claimed. */
export const DEMO_COMMITS: readonly DemoCommit[] = [
  {
    message:
      "Storefront API: catalog, cart, pricing and discount codes, checkout, accounts\n\nnode:http with a small router; the memory store backs development and tests.\n",
    author: MAYA,
    date: "2024-01-08T10:12:00+01:00",
    adds: [
      "README.md",
      "package.json",
      "tsconfig.json",
      "vitest.config.ts",
      ".gitignore",
      "src/",
      "tests/",
    ],
  },
  {
    message:
      "Billing service: invoices with sales tax, order CSV export, daily sales summary\n\nRuns beside the API on the same database, scheduled by cron.\n",
    author: TOMAS,
    date: "2024-01-22T16:40:00-06:00",
    adds: [
      "billing/pyproject.toml",
      "billing/acme_billing/__init__.py",
      "billing/acme_billing/models.py",
      "billing/acme_billing/money.py",
      "billing/acme_billing/tax.py",
      "billing/acme_billing/invoices.py",
      "billing/acme_billing/csv_export.py",
      "billing/acme_billing/digest.py",
      "billing/acme_billing/db.py",
      "billing/acme_billing/mailer.py",
      "billing/tests/__init__.py",
      "billing/tests/conftest.py",
      "billing/tests/test_tax.py",
      "billing/tests/test_invoices.py",
      "billing/tests/test_csv_export.py",
      "billing/tests/test_digest.py",
    ],
  },
  {
    message: "Browser code for the cart, checkout and search-as-you-type pages\n",
    author: PRIYA,
    date: "2024-02-05T09:05:00-05:00",
    adds: ["web/"],
  },
  {
    message:
      'Nightly "customers also bought" job\n\nCo-purchase lift over the last 180 days, damped by popularity.\n',
    author: TOMAS,
    date: "2024-02-19T11:30:00-06:00",
    adds: [
      "billing/acme_billing/recommend.py",
      "billing/acme_billing/cli.py",
      "billing/tests/test_recommend.py",
    ],
  },
  {
    message: "Deploy main to production after the tests pass; add CODEOWNERS\n",
    author: SAM,
    date: "2024-03-04T14:20:00+00:00",
    adds: [],
  },
  // Fixes of bugs long gone (none is a planted bug): what the workspace's vocabulary learns from
  // the repository's own history (docs/code-map.md "Each workspace's vocabulary").
  {
    message:
      "Retired products still listed on category pages\n\nMerchants retire products instead of deleting them; the category page showed them anyway.\n",
    author: PRIYA,
    date: "2024-03-11T10:00:00-05:00",
    adds: [],
    fixes: [
      {
        path: "src/catalog/products.ts",
        before: "  return products.sort((a, b) => a.priceCents - b.priceCents);",
        after:
          "  return products.filter((p) => p.active).sort((a, b) => a.priceCents - b.priceCents);",
      },
    ],
  },
  {
    message:
      "Receipts print refunds as $-5.00 instead of -$5.00\n\nThe minus sign goes before the currency symbol.\n",
    author: TOMAS,
    date: "2024-03-18T15:45:00-06:00",
    adds: [],
    fixes: [
      {
        path: "billing/acme_billing/money.py",
        before: '    sign = ""\n    return f"{sign}{symbol}{quantize(amount):,.2f}"',
        after:
          '    sign = "-" if amount < 0 else ""\n    return f"{sign}{symbol}{abs(quantize(amount)):,.2f}"',
      },
    ],
  },
  {
    message:
      "New passwords fail to hash: scrypt memory limit exceeded\n\nN = 2^15 with r = 8 needs exactly Node's default 32 MB cap; allow 64 MB.\n",
    author: MAYA,
    date: "2024-03-25T09:30:00+01:00",
    adds: [],
    fixes: [
      {
        path: "src/auth/passwords.ts",
        before: "const MAX_MEM = 32 * 1024 * 1024;",
        after: "const MAX_MEM = 64 * 1024 * 1024;",
      },
    ],
  },
];

/** Files that are executable in the repository (never read from the disk's mode bits). */
const EXECUTABLE = new Set(["scripts/rollout.sh"]);

/** Local debris that must never reach the repository, whoever ran what in `source/`. */
const IGNORED_DIRS = new Set(["node_modules", "__pycache__", ".pytest_cache", "dist", "coverage"]);

export interface DemoRepo {
  gitDir: string;
  headSha: string;
  fullName: string;
}

/**
 * Create (or re-create) the bare repository under `targetDir` as `acme+storefront/repo`, the
 * layout `npm run eval:mapping -- --repos` reads, with `main` as its default branch.
 */
export async function buildDemoRepo(targetDir: string): Promise<DemoRepo> {
  const gitDir = path.join(path.resolve(targetDir), "acme+storefront", "repo");
  const parent = path.dirname(gitDir);
  const staging = await mkdtemp(path.join(os.tmpdir(), "demo-repo-"));
  try {
    const building = path.join(staging, "repo");
    await git(building, ["init", "--quiet", "--bare", building], undefined, false);
    await git(building, ["symbolic-ref", "HEAD", "refs/heads/main"]);

    const files = await listFiles(DEMO_SOURCE_DIR);
    const blobs = await hashBlobs(building, files);
    const owner = assignCommits(files);
    const earlier = await hashEarlierVersions(building);
    const index = path.join(staging, "index");

    let parentSha: string | undefined;
    for (let i = 0; i < DEMO_COMMITS.length; i++) {
      const commit = DEMO_COMMITS[i]!;
      const entries = files
        .filter((f) => (owner.get(f) ?? 0) <= i)
        .map(
          (f) =>
            `${EXECUTABLE.has(f) ? "100755" : "100644"} ${earlier.get(`${i}:${f}`) ?? blobs.get(f)}\t${f}`,
        )
        .join("\n");
      await git(building, ["read-tree", "--empty"], undefined, true, index);
      await git(building, ["update-index", "--add", "--index-info"], `${entries}\n`, true, index);
      const tree = (await git(building, ["write-tree"], undefined, true, index)).trim();
      const args = ["commit-tree", tree, ...(parentSha ? ["-p", parentSha] : [])];
      parentSha = (await git(building, args, commit.message, true, undefined, commit)).trim();
    }
    const headSha = parentSha!;
    await git(building, ["update-ref", "refs/heads/main", headSha]);
    // Replace a previous build only once the new one is complete.
    await rm(parent, { recursive: true, force: true });
    await mkdir(parent, { recursive: true });
    await rename(building, gitDir);
    return { gitDir, headSha, fullName: DEMO_REPO_FULL_NAME };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Every file under `root`, as sorted repository paths with forward slashes. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name) && !entry.name.endsWith(".egg-info")) {
          await walk(path.join(dir, entry.name), rel);
        }
      } else if (entry.isFile()) {
        out.push(rel);
      }
    }
  }
  await walk(root, "");
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The blob of each fixed file as it was before its fixes, keyed `<commit index>:<path>`, for
 * every commit before the last fix of that file: `source/` with the later fixes undone.
 */
async function hashEarlierVersions(gitDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const paths = new Set(DEMO_COMMITS.flatMap((c) => (c.fixes ?? []).map((f) => f.path)));
  for (const file of paths) {
    let text = await readFile(path.join(DEMO_SOURCE_DIR, file), "utf8");
    for (let i = DEMO_COMMITS.length - 1; i >= 0; i--) {
      const fix = DEMO_COMMITS[i]!.fixes?.find((f) => f.path === file);
      if (fix) {
        if (text.split(fix.after).length !== 2)
          throw new Error(`demo fix in ${file}: the fixed text must occur exactly once`);
        text = text.replace(fix.after, fix.before);
      }
      if (i > 0 && DEMO_COMMITS.slice(i).some((c) => c.fixes?.some((f) => f.path === file))) {
        out.set(
          `${i - 1}:${file}`,
          (await git(gitDir, ["hash-object", "-w", "--no-filters", "--stdin"], text)).trim(),
        );
      }
    }
  }
  return out;
}

/** Which commit first adds each file (the last commit that fixes nothing takes the rest). */
function assignCommits(files: string[]): Map<string, number> {
  const owner = new Map<string, number>();
  const last = DEMO_COMMITS.findLastIndex((c) => !c.fixes);
  for (const file of files) {
    const i = DEMO_COMMITS.findIndex((c) =>
      c.adds.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)),
    );
    owner.set(file, i < 0 ? last : i);
  }
  return owner;
}

/** Write every file as a blob, bytes as they are on disk (no line-ending or other filters). */
async function hashBlobs(gitDir: string, files: string[]): Promise<Map<string, string>> {
  const input = files.map((f) => path.join(DEMO_SOURCE_DIR, f)).join("\n");
  const out = await git(
    gitDir,
    ["hash-object", "-w", "--no-filters", "--stdin-paths"],
    `${input}\n`,
  );
  const ids = out.trim().split("\n");
  if (ids.length !== files.length) throw new Error("git hash-object returned too few ids");
  return new Map(files.map((f, i) => [f, ids[i]!]));
}

/**
 * Run git with no user or system configuration (no signing, hooks, templates or identity from
 * the machine), fixed identity and dates when a commit is given.
 */
function git(
  gitDir: string,
  args: string[],
  input?: string,
  withGitDir = true,
  indexFile?: string,
  commit?: DemoCommit,
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    // Only what git needs; NODE_ENV because this project's types require it on ProcessEnv.
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    TZ: "UTC",
    ...(indexFile ? { GIT_INDEX_FILE: indexFile } : {}),
    ...(commit
      ? {
          GIT_AUTHOR_NAME: commit.author.name,
          GIT_AUTHOR_EMAIL: commit.author.email,
          GIT_AUTHOR_DATE: commit.date,
          GIT_COMMITTER_NAME: commit.author.name,
          GIT_COMMITTER_EMAIL: commit.author.email,
          GIT_COMMITTER_DATE: commit.date,
        }
      : {}),
  };
  const fullArgs = [
    ...(withGitDir ? [`--git-dir=${gitDir}`] : []),
    "-c",
    "commit.gpgSign=false",
    "-c",
    "init.templateDir=",
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, { env, stdio: "pipe" });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => stdout.push(b));
    child.stderr.on("data", (b: Buffer) => stderr.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString("utf8"));
      else {
        const message = Buffer.concat(stderr).toString("utf8").slice(0, 500);
        reject(new Error(`git ${args[0]} failed (${code}): ${message}`));
      }
    });
    // A git that exits before reading its input closes the pipe; its exit code reports why.
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}
