/**
 * Benchmarks of the pipeline's indexing and stages.
 *
 *   npm run bench:pipeline [-- --repo <bare git dir>[@<commit>] ...] [--vocabulary] [--json out.json]
 *
 * For the demo repository (always) and each `--repo` (a bare git directory, read with
 * `git ls-tree`/`git cat-file`, never modified; e.g. /work/evalrepos/grpc+grpc-go/repo):
 * - first index: the same builder the indexing job runs (`buildIndex`), wall and CPU time,
 *   indexed lines per second, peak RSS and serialised size. Each repository is indexed in a child
 *   process of its own, so the peak RSS is that repository's alone.
 * - a 10-file push: ten indexed files edited (a comment line appended), then what the job does
 *   on a push: `treeChanges` against the stored index (blob ids), `updateIndex` on the changed
 *   files only, and `serializeIndex` (what is written to the database). Downloading the ten blobs
 *   from GitHub and the database write are not in the figure.
 * - the stages per ticket (converter → noise → extraction → mapping → gates, `decideTicket`) on
 *   the demo repository's labelled tickets, in process.
 * - with `--push` (a running devstack, `DEVSTACK_HOME`): the same 10-file push through the real
 *   path, the GitHub sandbox's signed delivery → intake → record-github-push → index-repository
 *   (blob downloads through the App, index written) → row ready at the new commit, p50/p95 over
 *   PUSHES (8) pushes: scripts/bench-pipeline-push.ts.
 * - with `--vocabulary`: after the first index, what the index job's vocabulary step does with
 *   the repository's last 300 commits (docs/code-map.md "Each workspace's vocabulary"): the
 *   commits and their patches read with git by the evaluation's reader
 *   (`mapping-eval/git-commits.ts`, standing in for the GitHub API, whose answers have the same
 *   fields), filtered and turned into fix pairs against the index as they are read, as the job
 *   does, and learned into the table; wall and CPU time, pairs, words, the table's JSON size and
 *   the peak RSS after indexing, after the step and at the end.
 * Ticket → Mapped Bug through the devstack executor is not driven here: see docs/pipeline-eval.md.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemoRepo } from "@/devstack/demo-repo/build";
import { buildIndex, type SourceFile, updateIndex } from "@/lib/pipeline/code-index/builder";
import { gitSourceFiles } from "@/lib/pipeline/code-index/git-source";
import { deserializeIndex, serializeIndex } from "@/lib/pipeline/code-index/serialize";
import { treeChanges } from "@/lib/pipeline/jobs/index-repository";
import { commitPair, isPair } from "@/lib/pipeline/jobs/vocabulary/commit-pairs";
import {
  learnWorkspaceTable,
  MAX_COMMITS,
  worthReading,
} from "@/lib/pipeline/jobs/vocabulary/learn-workspace";
import { cappedBridgeJson } from "@/lib/pipeline/jobs/vocabulary/store";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import type { FixPair } from "@/lib/pipeline/mapping/vocabulary/types";
import { listCommits, streamCommits } from "@/lib/pipeline/mapping-eval/git-commits";
import { loadEvalSet } from "@/scripts/lib/pipeline-eval/eval-set";
import { evaluateTickets } from "@/scripts/lib/pipeline-eval/run";

interface RepoFigures {
  repo: string;
  commit: string;
  files: number;
  functions: number;
  lines: number;
  indexWallS: number;
  indexCpuS: number;
  linesPerSecond: number;
  linesPerCpuSecond: number;
  peakRssMb: number;
  /** Peak RSS when the first index was built, before the vocabulary step and the push. */
  peakRssIndexMb: number;
  /** Peak RSS after the vocabulary step (with `--vocabulary`), before the push. */
  peakRssVocabularyMb?: number;
  serializedMb: number;
  push10: {
    files: number;
    diffMs: number;
    updateMs: number;
    serializeMs: number;
    totalMs: number;
    cpuMs: number;
  };
  stages?: { tickets: number; p50Ms: number; p95Ms: number };
  vocabulary?: {
    commits: number;
    pairs: number;
    words: number;
    tableKb: number;
    /** Listing, reading each commit's patches and making its pair (streamed), wall. */
    readWallS: number;
    learnWallS: number;
    learnCpuS: number;
    /** CPU of the whole step in this process (git's own processes not counted). */
    stepCpuS: number;
    /**
     * The step as the job runs it, in a fresh process: the stored index read back
     * (`deserializeIndex`, as `loadIndex` does), then the step; peak RSS after each.
     */
    alone?: { loadedRssMb: number; peakRssMb: number; stepCpuS: number; pairs: number };
  };
}

/** The index job's vocabulary step on a local bare repository (git in place of the API). */
async function measureVocabulary(
  gitDir: string,
  commit: string,
  index: Awaited<ReturnType<typeof buildIndex>>,
): Promise<NonNullable<RepoFigures["vocabulary"]>> {
  const step0 = process.cpuUsage();
  const r0 = performance.now();
  const listed = listCommits(gitDir, commit, MAX_COMMITS);
  // as the job does: the message filter first, then each commit turned into its pair as its
  // patches are read (a batch of git's at a time), and dropped
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const pairs: FixPair[] = [];
  for (const c of streamCommits(
    gitDir,
    worthReading(listed).map((c) => c.sha),
  )) {
    const pair = commitPair(c, index, byPath);
    if (isPair(pair)) pairs.push(pair);
  }
  const readWallS = (performance.now() - r0) / 1000;
  const cpu0 = process.cpuUsage();
  const l0 = performance.now();
  const table = learnWorkspaceTable(index.repo, pairs, []);
  const json = cappedBridgeJson(table);
  const learnWallS = (performance.now() - l0) / 1000;
  return {
    commits: listed.length,
    pairs: pairs.length,
    words: table.words.size,
    tableKb: Buffer.byteLength(JSON.stringify(json)) / 1e3,
    readWallS,
    learnWallS,
    learnCpuS: cpuSeconds(process.cpuUsage(cpu0)),
    stepCpuS: cpuSeconds(process.cpuUsage(step0)),
  };
}

/** Child process: the vocabulary step alone, on the stored index, as the job's step runs. */
async function measureStepAlone(gitDir: string, commit: string, indexFile: string) {
  const index = deserializeIndex(readFileSync(indexFile, "utf8"));
  const loadedRssMb = process.resourceUsage().maxRSS / 1024;
  const v = await measureVocabulary(gitDir, commit, index);
  const alone = {
    loadedRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    stepCpuS: v.stepCpuS,
    pairs: v.pairs,
  };
  process.stdout.write(`\n@@alone ${JSON.stringify(alone)}\n`);
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** A git blob id, as the tree of a commit would carry it (what the job compares). */
function blobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Ten indexed files, spread over the tree, each with a comment line appended. */
async function tenEdits(files: readonly SourceFile[], indexed: Set<string>): Promise<SourceFile[]> {
  const pool = files.filter((f) => indexed.has(f.path));
  const step = Math.max(1, Math.floor(pool.length / 10));
  const picked = pool.filter((_, i) => i % step === 0).slice(0, 10);
  const edited: SourceFile[] = [];
  for (const f of picked) {
    const comment = /\.(py|rb|sh)$/.test(f.path) ? "# edited by a push\n" : "// edited by a push\n";
    const before = await f.read();
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from(comment)]);
    edited.push({ path: f.path, size: bytes.length, hash: blobId(bytes), read: () => bytes });
  }
  return edited;
}

/** Child process: index one repository and measure; prints its figures as JSON. */
async function measure(
  gitDir: string,
  commit: string,
  name: string,
  withStages: boolean,
  withVocabulary = false,
  indexOut?: string,
) {
  const files = gitSourceFiles(gitDir, commit);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const index = await buildIndex(files, { repo: name });
  const indexWallS = (performance.now() - t0) / 1000;
  const indexCpuS = cpuSeconds(process.cpuUsage(cpu0));
  const serialized = serializeIndex(index);
  if (indexOut) writeFileSync(indexOut, serialized);
  const peakRssIndexMb = process.resourceUsage().maxRSS / 1024;
  const vocabulary = withVocabulary ? await measureVocabulary(gitDir, commit, index) : undefined;
  const peakRssVocabularyMb = withVocabulary ? process.resourceUsage().maxRSS / 1024 : undefined;

  const edits = await tenEdits(files, new Set(index.files.map((f) => f.path)));
  const editedIds = new Map(edits.map((e) => [e.path, e.hash as string]));
  const tree = files.map((f) => ({
    path: f.path,
    size: f.size,
    sha: editedIds.get(f.path) ?? (f.hash as string),
  }));
  const pushCpu = process.cpuUsage();
  const p0 = performance.now();
  const { changed, removed } = treeChanges(index, tree);
  const p1 = performance.now();
  const changedPaths = new Set(changed.map((c) => c.path));
  const updated = await updateIndex(
    index,
    edits.filter((e) => changedPaths.has(e.path)),
    removed,
    { repo: name },
  );
  const p2 = performance.now();
  serializeIndex(updated);
  const p3 = performance.now();
  const pushCpuMs = cpuSeconds(process.cpuUsage(pushCpu)) * 1000;

  let stages: RepoFigures["stages"];
  if (withStages) {
    const set = loadEvalSet();
    const rows = await evaluateTickets(set.tickets, new SearchIndex([index]));
    const ms = rows.map((r) => r.ms);
    stages = { tickets: rows.length, p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95) };
  }
  const figures: RepoFigures = {
    repo: name,
    commit,
    files: index.stats.files,
    functions: index.files.reduce(
      (n, f) => n + f.chunks.filter((c) => c.kind === "function" || c.kind === "method").length,
      0,
    ),
    lines: index.stats.lines,
    indexWallS,
    indexCpuS,
    linesPerSecond: index.stats.lines / indexWallS,
    linesPerCpuSecond: index.stats.lines / indexCpuS,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakRssIndexMb,
    peakRssVocabularyMb,
    serializedMb: Buffer.byteLength(serialized) / 1e6,
    push10: {
      files: changed.length,
      diffMs: p1 - p0,
      updateMs: p2 - p1,
      serializeMs: p3 - p2,
      totalMs: p3 - p0,
      cpuMs: pushCpuMs,
    },
    stages,
    vocabulary,
  };
  process.stdout.write(`\n@@figures ${JSON.stringify(figures)}\n`);
}

function runChild(
  gitDir: string,
  commit: string,
  name: string,
  withStages: boolean,
  withVocabulary: boolean,
): RepoFigures {
  const self = fileURLToPath(import.meta.url);
  const spawnSelf = (args: string[]) =>
    spawnSync(process.execPath, [...process.execArgv, self, ...args], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-index-"));
  const indexFile = path.join(tmp, "index.json");
  try {
    const args = ["--child", gitDir, commit, name];
    if (withStages) args.push("--stages");
    if (withVocabulary) args.push("--vocabulary", "--index-out", indexFile);
    const res = spawnSelf(args);
    const line = res.stdout.split("\n").find((l) => l.startsWith("@@figures "));
    if (res.status !== 0 || !line) {
      throw new Error(`benchmark of ${name} failed: ${res.stderr.slice(-2000)}`);
    }
    const figures = JSON.parse(line.slice("@@figures ".length)) as RepoFigures;
    if (withVocabulary && figures.vocabulary) {
      const alone = spawnSelf(["--vocabulary-step", gitDir, commit, indexFile]);
      const at = alone.stdout.split("\n").find((l) => l.startsWith("@@alone "));
      if (alone.status !== 0 || !at) {
        throw new Error(`vocabulary step of ${name} failed: ${alone.stderr.slice(-2000)}`);
      }
      figures.vocabulary.alone = JSON.parse(at.slice("@@alone ".length));
    }
    return figures;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function resolveCommit(gitDir: string, rev: string): string {
  const res = spawnSync("git", [`--git-dir=${gitDir}`, "rev-parse", `${rev}^{commit}`], {
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`${gitDir}: no commit ${rev}`);
  return res.stdout.trim();
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function print(f: RepoFigures): void {
  console.log(
    `${f.repo} @ ${f.commit.slice(0, 12)}: ${fmt(f.files)} files, ${fmt(f.functions)} functions, ${fmt(f.lines)} indexed lines`,
  );
  console.log(
    `  first index   ${fmt(f.indexWallS, 1)} s wall, ${fmt(f.indexCpuS, 1)} s CPU; ${fmt(f.linesPerSecond)} lines/s wall, ${fmt(f.linesPerCpuSecond)} lines/CPU-s; peak RSS ${fmt(f.peakRssIndexMb)} MB after indexing, ${fmt(f.peakRssMb)} MB at the end; serialised ${fmt(f.serializedMb, 1)} MB`,
  );
  const p = f.push10;
  console.log(
    `  10-file push  ${fmt(p.totalMs)} ms wall, ${fmt(p.cpuMs)} ms CPU (${p.files} changed: tree diff ${fmt(p.diffMs)} ms, updateIndex ${fmt(p.updateMs)} ms, serialise ${fmt(p.serializeMs)} ms)`,
  );
  if (f.vocabulary) {
    const v = f.vocabulary;
    console.log(
      `  vocabulary    ${fmt(v.commits)} commits listed, read and paired in ${fmt(v.readWallS, 1)} s (git); ${fmt(v.pairs)} fix pairs → ${fmt(v.words)} words, ${fmt(v.tableKb)} kB, learned in ${fmt(v.learnWallS, 1)} s wall, ${fmt(v.learnCpuS, 1)} s CPU; step ${fmt(v.stepCpuS, 1)} s CPU; peak RSS ${fmt(f.peakRssVocabularyMb ?? 0)} MB after it`,
    );
    if (v.alone)
      console.log(
        `  step alone    on the stored index read back (as the job's step): ${fmt(v.alone.loadedRssMb)} MB RSS with the index loaded, peak ${fmt(v.alone.peakRssMb)} MB after the step (${fmt(v.alone.stepCpuS, 1)} s CPU, ${fmt(v.alone.pairs)} pairs)`,
      );
  }
  if (f.stages) {
    console.log(
      `  stages/ticket ${fmt(f.stages.p50Ms)} ms p50, ${fmt(f.stages.p95Ms)} ms p95 (${f.stages.tickets} labelled tickets, in process)`,
    );
  }
}

interface PushFigures {
  pushes: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  fromIntakeP50Ms: number;
  fromIntakeP95Ms: number;
  jobP50Ms: number;
  jobP95Ms: number;
  jobPhasesP50Ms: Record<string, number>;
  indexBytes: number;
}

/** The end-to-end push bench in a process of its own (server-only modules, as the app loads them). */
function runPushBench(): PushFigures {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "bench-pipeline-push.ts");
  const res = spawnSync(
    process.execPath,
    ["--experimental-websocket", "--conditions=react-server", "--import", "tsx", script],
    { encoding: "utf8", maxBuffer: 1 << 26, env: process.env },
  );
  const line = res.stdout.split("\n").find((l) => l.startsWith("@@push "));
  if (res.status !== 0 || !line) throw new Error(`push bench failed: ${res.stderr.slice(-2000)}`);
  return JSON.parse(line.slice("@@push ".length)) as PushFigures;
}

function printPush(p: PushFigures): void {
  const phases = Object.entries(p.jobPhasesP50Ms)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");
  console.log(
    `10-file push through the devstack (${p.pushes} pushes, demo repository copy, index ${fmt(p.indexBytes / 1e3)} kB):`,
  );
  console.log(
    `  sandbox push → index ready at the new commit  p50 ${fmt(p.p50Ms)} ms, p95 ${fmt(p.p95Ms)} ms, max ${fmt(p.maxMs)} ms`,
  );
  console.log(
    `  delivery at the intake → ready                p50 ${fmt(p.fromIntakeP50Ms)} ms, p95 ${fmt(p.fromIntakeP95Ms)} ms`,
  );
  console.log(
    `  index-repository run                          p50 ${fmt(p.jobP50Ms)} ms, p95 ${fmt(p.jobP95Ms)} ms`,
  );
  console.log(`  p50 per phase (ms): ${phases}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    const [, gitDir, commit, name] = argv;
    if (!gitDir || !commit || !name) throw new Error("--child <gitDir> <commit> <name>");
    const out = argv.indexOf("--index-out");
    await measure(
      gitDir,
      commit,
      name,
      argv.includes("--stages"),
      argv.includes("--vocabulary"),
      out >= 0 ? argv[out + 1] : undefined,
    );
    return;
  }
  if (argv[0] === "--vocabulary-step") {
    const [, gitDir, commit, indexFile] = argv;
    if (!gitDir || !commit || !indexFile)
      throw new Error("--vocabulary-step <gitDir> <commit> <index file>");
    await measureStepAlone(gitDir, commit, indexFile);
    return;
  }
  const repos: string[] = [];
  for (let i = 0; i < argv.length; i++)
    if (argv[i] === "--repo" && argv[i + 1]) repos.push(argv[++i] as string);
  const withVocabulary = argv.includes("--vocabulary");
  const jsonAt = argv.indexOf("--json");
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;

  const load = () => spawnSync("uptime", { encoding: "utf8" }).stdout.trim();
  console.log(`bench:pipeline on ${os.cpus().length} cores; load: ${load()}`);
  const results: RepoFigures[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-pipeline-"));
  try {
    const demo = await buildDemoRepo(tmp);
    results.push(runChild(demo.gitDir, demo.headSha, demo.fullName, true, withVocabulary));
    print(results.at(-1) as RepoFigures);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const spec of repos) {
    const [dir, rev = "HEAD"] = spec.split("@") as [string, string?];
    const gitDir = path.resolve(dir);
    const name =
      path.basename(gitDir) === "repo"
        ? path.basename(path.dirname(gitDir))
        : path.basename(gitDir);
    results.push(
      runChild(gitDir, resolveCommit(gitDir, rev), name.replace("+", "/"), false, withVocabulary),
    );
    print(results.at(-1) as RepoFigures);
  }
  let push: PushFigures | undefined;
  if (argv.includes("--push")) {
    push = runPushBench();
    printPush(push);
  }
  const after = load();
  console.log(`load after: ${after}`);
  if (json) {
    writeFileSync(
      json,
      `${JSON.stringify({ cores: os.cpus().length, loadAfter: after, results, push }, null, 2)}\n`,
    );
    console.log(`wrote ${json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
