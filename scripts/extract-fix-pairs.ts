/**
 * Build the public fix-history corpus the vocabulary bridge is trained on.
 *
 *   npm run train:pairs -- --repos /work/.mirror --out /work/corpus
 *     [--repo owner/name ...]   (default: every training repository in training/repositories.ts)
 *     [--max-commits 1500] [--max-files 15] [--max-file-kb 1000]
 *     [--queue <dir>]   (several extractors on one list: each repository goes to the first that
 *                        claims it in <dir>)
 *
 * `--repos` holds bare git directories as `<owner>+<name>/repo`; they are only read. Each
 * repository's pairs go to `<out>/pairs/<owner>+<name>.jsonl` (written whole, then renamed into
 * place, so a reader never sees half a file), and its line in `<out>/manifest.json` is replaced.
 * Excluded (benchmark) and evaluation-reserved repositories are refused.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { extractFixPairs } from "@/lib/pipeline/mapping/training/extract";
import {
  forbiddenReason,
  TRAINING_REPOSITORIES,
} from "@/lib/pipeline/mapping/training/repositories";
import { MAX_SOURCE_FILES } from "@/lib/pipeline/mapping/vocabulary/commit-filter";

interface Args {
  repos: string;
  out: string;
  only: string[];
  maxCommits: number;
  maxFiles: number;
  maxFileKb: number;
  queue?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    repos: "",
    out: "",
    only: [],
    maxCommits: 1500,
    maxFiles: MAX_SOURCE_FILES,
    maxFileKb: 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--repos" && v) args.repos = argv[++i] as string;
    else if (a === "--out" && v) args.out = argv[++i] as string;
    else if (a === "--repo" && v) args.only.push(...(argv[++i] as string).split(","));
    else if (a === "--max-commits" && v) args.maxCommits = Number(argv[++i]);
    else if (a === "--max-files" && v) args.maxFiles = Number(argv[++i]);
    else if (a === "--max-file-kb" && v) args.maxFileKb = Number(argv[++i]);
    else if (a === "--queue" && v) args.queue = argv[++i] as string;
    else throw new Error(`unknown or incomplete argument: ${a}`);
  }
  if (!args.repos || !args.out) throw new Error("--repos <dir> and --out <dir> are required");
  if (!(args.maxCommits > 0) || !(args.maxFiles > 0) || !(args.maxFileKb > 0)) {
    throw new Error("limits must be positive");
  }
  return args;
}

export interface ManifestEntry {
  language: string;
  head: string;
  commitsRead: number;
  pairs: number;
  seconds: number;
  skipped: Record<string, number>;
  filesChunked: number;
  filesTooLarge: number;
  /** The limits it was extracted with. */
  maxCommits: number;
  maxFileKb: number;
}

function readManifest(file: string): Record<string, ManifestEntry> {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, ManifestEntry>;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Several extractors may share one output directory (one per core): the manifest's
 * read-modify-write happens under an exclusive lock file; a lock older than a minute is stale.
 */
async function withLock(lock: string, fn: () => void): Promise<void> {
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { force: true });
      } catch {
        // Released between our two calls: try again.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Claim a repository for this extractor; false when another one has it. */
function claim(queue: string, name: string): boolean {
  mkdirSync(queue, { recursive: true });
  try {
    closeSync(openSync(path.join(queue, name.replace("/", "+")), "wx"));
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const names = args.only.length > 0 ? args.only : TRAINING_REPOSITORIES.map((r) => r.name);
  const pairsDir = path.join(args.out, "pairs");
  mkdirSync(pairsDir, { recursive: true });
  const manifestFile = path.join(args.out, "manifest.json");
  for (const name of names) {
    const refused = forbiddenReason(name);
    if (refused) {
      console.error(`${name}: refused (${refused})`);
      continue;
    }
    const gitDir = path.join(args.repos, name.replace("/", "+"), "repo");
    if (!existsSync(gitDir)) {
      console.error(`${name}: no snapshot at ${gitDir}`);
      continue;
    }
    if (args.queue && !claim(args.queue, name)) continue;
    const started = performance.now();
    const { pairs, stats } = await extractFixPairs(gitDir, name, {
      maxCommits: args.maxCommits,
      maxSourceFiles: args.maxFiles,
      maxFileBytes: args.maxFileKb * 1000,
    });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const file = path.join(pairsDir, `${name.replace("/", "+")}.jsonl`);
    writeAtomic(file, pairs.map((p) => `${JSON.stringify(p)}\n`).join(""));
    const language =
      Object.entries(stats.languages).sort(
        (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
      )[0]?.[0] ?? "unknown";
    await withLock(`${manifestFile}.lock`, () => {
      const manifest = readManifest(manifestFile);
      manifest[name] = {
        language,
        head: stats.head,
        commitsRead: stats.commitsRead,
        pairs: stats.pairs,
        seconds,
        skipped: stats.skipped as Record<string, number>,
        filesChunked: stats.filesChunked,
        filesTooLarge: stats.filesTooLarge,
        maxCommits: args.maxCommits,
        maxFileKb: args.maxFileKb,
      };
      const sorted = Object.fromEntries(
        Object.entries(manifest).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
      writeAtomic(manifestFile, `${JSON.stringify(sorted, null, 2)}\n`);
    });
    console.log(
      `${name}: ${stats.pairs} pairs from ${stats.commitsRead} commits in ${seconds}s (${language}; ` +
        `${stats.filesChunked} files chunked; skipped ${JSON.stringify(stats.skipped)})`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
