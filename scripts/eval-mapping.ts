/**
 * Evaluate code mapping on a labelled data set.
 *
 *   npm run eval:mapping -- --data ../shared/data/mapping-dev.jsonl [--data more.jsonl …] --repos <folder>
 *     [--json out.json] [--limit N] [--fit] [--fit-calibration] [--dump <file>] [--verbose]
 *     [--gate-curve <file>]   (held-out gate curve as JSON; lib/pipeline/mapping/gate-curve.json ships)
 *     [--without clean-output,product-first,code-names,bridge]   (switch engine rules off)
 *     [--with tests,calls,embedding]   (switch on rules that are off by default: tests as evidence
 *       (the indexes then also keep test files' words); the call graph; word vectors)
 *     [--ablate]   (also map every instance without each rule, and without all, and compare)
 *     [--repo-vocabulary [N]] [--repo-vocabulary-cache <dir>]   (each instance also reads the
 *       repository's own table, learned as production does from the N commits (300) before its
 *       commit and merged over the shipped one; read commits are cached in <dir>, default
 *       $TMPDIR/patchline-repo-vocabulary)
 *     [--shipped-only]   (no held-out refits: the shipped-weights figures only, much faster)
 *     [--repo-vocabulary-damping a,b,…]   (the workspace learner's hub damping for the run, then
 *       others to map every instance with too, each with held-out figures: none,
 *       hub-targets:<share>, hub-files:<share>, inverse-file; jobs/vocabulary/hub-damping.ts)
 *
 * `<folder>` holds bare git directories as `<owner>+<name>/repo`; they are only read.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type HubDamping, parseDamping } from "@/lib/pipeline/jobs/vocabulary/hub-damping";
import { curveProvenance, GATE_MIN_ANSWERS, GATE_TARGET } from "@/lib/pipeline/mapping/gate-curve";
import type { MappingRules } from "@/lib/pipeline/mapping/map-bug";
import { runEvaluation } from "@/lib/pipeline/mapping-eval/evaluate";
import { fitWeights } from "@/lib/pipeline/mapping-eval/fit";
import { fitCalibration } from "@/lib/pipeline/mapping-eval/fit-calibration";
import { gateCurve } from "@/lib/pipeline/mapping-eval/gate-curve";
import { loadInstances } from "@/lib/pipeline/mapping-eval/instances";
import { DEFAULT_REPO_VOCABULARY_COMMITS } from "@/lib/pipeline/mapping-eval/repo-vocabulary";
import { evaluationReport } from "@/lib/pipeline/mapping-eval/report";

interface Args {
  /** One or more data sets, scored together (each repository held out in turn). */
  data: string[];
  gateCurve?: string;
  repos: string;
  json?: string;
  limit?: number;
  fit: boolean;
  fitRanker: boolean;
  verbose: boolean;
  rules: MappingRules;
  ablate: boolean;
  repoVocabulary?: {
    commits: number;
    cacheDir: string;
    damping?: HubDamping;
    variants?: HubDamping[];
  };
}

/** `--without` names → the engine rules switched off. */
const RULE_FLAGS: Record<string, keyof MappingRules> = {
  "clean-output": "cleanOutput",
  "product-first": "productFirst",
  "code-names": "codeNames",
  bridge: "bridge",
};

/** `--with` names → engine rules that are off by default, switched on to measure them. */
const OPT_IN_FLAGS: Record<string, keyof MappingRules> = {
  tests: "tests",
  calls: "calls",
  embedding: "embedding",
};

/** One variant per rule switched off, and one with every rule off. */
function ablationVariants(): Record<string, MappingRules> {
  const variants: Record<string, MappingRules> = {};
  const none: MappingRules = {};
  for (const [flag, rule] of Object.entries(RULE_FLAGS)) {
    variants[`without ${flag}`] = { [rule]: false };
    none[rule] = false;
  }
  variants["without any rule"] = none;
  return variants;
}

function rulesOf(without: string | undefined): MappingRules {
  const rules: MappingRules = {};
  for (const name of (without ?? "").split(",").filter((n) => n !== "")) {
    const rule = RULE_FLAGS[name];
    if (!rule) {
      console.error(`--without: unknown rule ${name} (${Object.keys(RULE_FLAGS).join(", ")})`);
      process.exit(2);
    }
    rules[rule] = false;
  }
  return rules;
}

function optInRules(names: string | undefined): MappingRules {
  const rules: MappingRules = {};
  for (const name of (names ?? "").split(",").filter((n) => n !== "")) {
    const rule = OPT_IN_FLAGS[name];
    if (!rule) {
      console.error(`--with: unknown rule ${name} (${Object.keys(OPT_IN_FLAGS).join(", ")})`);
      process.exit(2);
    }
    rules[rule] = true;
  }
  return rules;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const data = argv.flatMap((a, i) =>
    a === "--data" && argv[i + 1] ? [argv[i + 1] as string] : [],
  );
  const repos = get("--repos");
  if (data.length === 0 || !repos) {
    console.error(
      "usage: eval:mapping --data <file.jsonl> [--data <file.jsonl> …] --repos <folder> [--json <file>] [--gate-curve <file>] [--limit N] [--fit-calibration] [--verbose]",
    );
    process.exit(2);
  }
  const limit = get("--limit");
  let repoVocabulary: Args["repoVocabulary"];
  const rv = argv.indexOf("--repo-vocabulary");
  if (rv >= 0) {
    const next = argv[rv + 1];
    const commits = next && /^\d+$/.test(next) ? Number(next) : DEFAULT_REPO_VOCABULARY_COMMITS;
    if (commits < 1) {
      console.error("--repo-vocabulary: the number of commits must be at least 1");
      process.exit(2);
    }
    // `--repo-vocabulary-damping a,b,…`: the main run's hub damping, then others to compare
    let dampings: HubDamping[] = [];
    try {
      dampings = (get("--repo-vocabulary-damping") ?? "")
        .split(",")
        .filter((d) => d !== "")
        .map(parseDamping);
    } catch (e) {
      console.error(`--repo-vocabulary-damping: ${(e as Error).message}`);
      process.exit(2);
    }
    repoVocabulary = {
      commits,
      cacheDir:
        get("--repo-vocabulary-cache") ?? path.join(os.tmpdir(), "patchline-repo-vocabulary"),
      damping: dampings[0],
      variants: dampings.slice(1),
    };
  }
  return {
    data,
    repos,
    json: get("--json"),
    gateCurve: get("--gate-curve"),
    limit: limit ? Number(limit) : undefined,
    fit: argv.includes("--fit-calibration"),
    fitRanker: argv.includes("--fit"),
    verbose: argv.includes("--verbose"),
    rules: { ...rulesOf(get("--without")), ...optInRules(get("--with")) },
    ablate: argv.includes("--ablate"),
    repoVocabulary,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const datasets = args.data.map((file) => ({
    name: path.basename(file),
    instances: loadInstances(file),
  }));
  let instances = datasets.flatMap((d) => d.instances);
  if (args.limit) instances = instances.slice(0, args.limit);
  const kept = new Set(instances);
  const started = performance.now();
  const run = await runEvaluation(
    instances,
    args.repos,
    args.verbose ? (l) => console.log(l) : undefined,
    args.rules,
    args.ablate ? ablationVariants() : {},
    args.repoVocabulary,
  );
  const elapsed = performance.now() - started;
  const { outcomes } = run;
  const report = evaluationReport(run, datasets.map((d) => d.name).join(" + "), elapsed, {
    heldOut: !process.argv.includes("--shipped-only"),
  });
  console.log(report.text);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report.json, null, 2)}\n`);
  const dump = process.argv.indexOf("--dump");
  if (dump >= 0 && process.argv[dump + 1]) {
    writeFileSync(
      process.argv[dump + 1] as string,
      JSON.stringify({ groups: run.groups, outcomes }),
    );
  }
  if (args.gateCurve) {
    // counts per data set of the instances actually scored (a missing snapshot drops one)
    const scored = new Set(run.outcomes.map((o) => `${o.repo}\u0000${o.id}`));
    const curve = gateCurve(
      run.groups,
      datasets.map((d) => ({
        name: d.name,
        n: d.instances.filter((i) => kept.has(i) && scored.has(`${i.repo}\u0000${i.id}`)).length,
      })),
      new Date().toISOString().slice(0, 10),
    );
    writeFileSync(args.gateCurve, `${JSON.stringify(curve, null, 2)}\n`);
    console.log(
      [
        "",
        `Held-out gate curve (${curveProvenance(curve)}) → ${args.gateCurve}`,
        "",
        "| gate t | answers ≥ t | share of reports | right |",
        "|---:|---:|---:|---:|",
        ...curve.points.map(
          (p) =>
            `| ${p.threshold.toFixed(2)} | ${p.answers} | ${(p.passShare * 100).toFixed(1)}% | ${p.rightShare === null ? "-" : `${(p.rightShare * 100).toFixed(1)}%`} |`,
        ),
        "",
        `Default mapping gate on this curve (≥ ${GATE_TARGET * 100}% right held out, at least ${GATE_MIN_ANSWERS} answers): ${curve.recommendedGate ?? "none reaches it"}`,
      ].join("\n"),
    );
  }
  if (args.fitRanker) {
    const weights = fitWeights(run.groups, { shipping: true });
    const target = path.join(
      path.dirname(new URL(import.meta.url).pathname),
      "../lib/pipeline/mapping/ranker-weights.json",
    );
    writeFileSync(target, `${JSON.stringify(weights, null, 2)}\n`);
    console.log(`Ranking weights refitted on ${run.groups.length} instances → ${target}`);
  }
  if (args.fit) {
    const params = fitCalibration(
      outcomes.map((o) => o.features),
      outcomes.map((o) => (o.fileRank === 1 ? 1 : 0)),
    );
    const target = path.join(
      path.dirname(new URL(import.meta.url).pathname),
      "../lib/pipeline/mapping/calibration-params.json",
    );
    writeFileSync(target, `${JSON.stringify(params, null, 2)}\n`);
    console.log(`Calibration refitted on ${outcomes.length} instances → ${target}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
