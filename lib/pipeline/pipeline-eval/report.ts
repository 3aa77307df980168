import { isBugGold } from "./eval-set";
import { goldRanks, type PipelineMetrics, type Ratio } from "./metrics";
import type { EvalRow } from "./run";

/** The text `eval:pipeline` prints: the summary table, then one line per ticket. */

const pct = (r: Ratio) =>
  `${r.rate === null ? "–" : `${(r.rate * 100).toFixed(1)}%`} (${r.hits}/${r.n})`;

export function summaryLines(m: PipelineMetrics): string[] {
  return [
    `tickets ${m.tickets}: ${m.goldBugs} bugs, ${m.goldNoise} not bugs`,
    "",
    "noise filter (positive = set aside)",
    `  precision            ${pct(m.noise.precision)}`,
    `  recall               ${pct(m.noise.recall)}`,
    `  class of set-asides  ${pct(m.noise.labelAccuracy)}`,
    `  bugs set aside       ${m.noise.bugsSetAside}`,
    "",
    "extraction (gold bugs that reached it; presence of the field vs gold)",
    `  severity exact       ${pct(m.extraction.severityExact)}`,
    `  title                ${pct(m.extraction.title)}`,
    `  steps                ${pct(m.extraction.steps)}`,
    `  expected             ${pct(m.extraction.expected)}`,
    `  actual               ${pct(m.extraction.actual)}`,
    "",
    "mapping (every gold bug; set aside = miss)",
    `  file top-1           ${pct(m.mapping.fileTop1)}`,
    `  file top-5           ${pct(m.mapping.fileTop5)}`,
    `  function top-1       ${pct(m.mapping.functionTop1)}`,
    `  function top-5       ${pct(m.mapping.functionTop5)}`,
    "",
    "gates",
    `  bugs passing both    ${pct(m.gates.passedShareOfBugs)}`,
    `  passed, right file   ${pct(m.gates.passedRightFile)}`,
    `  passed, right func.  ${pct(m.gates.passedRightFunction)}`,
    `  non-bugs passing     ${m.gates.passedNoise}`,
    `  held: extraction ${m.gates.heldByExtraction}, mapping ${m.gates.heldByMapping} (a ticket can be held by both)`,
  ];
}

const conf = (n: number | null | undefined) =>
  n === null || n === undefined ? "  – " : n.toFixed(2);

/** One line per ticket: gold, what the stages did, where the gold file and function ranked. */
export function ticketLines(rows: readonly EvalRow[]): string[] {
  const out = ["id | gold | decision | severity | ext / map conf | file / fn rank | gates"];
  for (const r of rows) {
    const gold = isBugGold(r.gold) ? `bug/${r.gold.severity}` : r.gold.classification;
    const decision = r.decision === "skip" ? `skip:${r.label}` : `bug(${r.label})`;
    if (!r.bug) {
      out.push(`${r.id} | ${gold} | ${decision}`);
      continue;
    }
    const ranks = goldRanks(r);
    const rank = (n: number | null) => (n === null ? "-" : String(n));
    const gates = r.bug.passedGates ? "MAPPED" : `held(${r.bug.holds.join("+")})`;
    out.push(
      `${r.id} | ${gold} | ${decision} | ${r.bug.severity} | ${conf(r.bug.extractionConfidence)} / ${conf(r.bug.mappingConfidence)} | ${isBugGold(r.gold) ? `${rank(ranks.file)} / ${rank(ranks.function)}` : `top: ${r.bug.files[0] ?? "-"}`} | ${gates}`,
    );
  }
  return out;
}
