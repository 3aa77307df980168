/**
 * Long pasted output (logs, linter output, long tracebacks, HTML dumps) in a report: what of it
 * still says where the bug is. A block of at least `MIN_LINES` lines most of which look like
 * program output keeps its error lines, the lines that point at the project's own code (a path or
 * a frame's function the index knows) and lines quoting a message; the rest becomes residue,
 * which the query weighs little, so forty lines of framework frames or HTML no longer outweigh
 * the reporter's own sentences. General rules only: nothing here knows a repository or tool.
 */

/** Shortest block treated as pasted output; shorter ones are read as written. */
export const MIN_LINES = 8;
/** Share of a block's non-empty lines that must look like output. */
const OUTPUT_SHARE = 0.4;
/** Kept lines of each kind per block (logs repeat the same error). */
const MAX_KEPT = 12;

/**
 * A line as programs print it: frames, timestamps, log levels, `file:line[:col]` diagnostics,
 * addresses, HTML tags, caret markers, prompts.
 */
const OUTPUT_LINE = new RegExp(
  [
    /^\s*at\s+\S/,
    /^\s*File "/,
    /^\s*goroutine\s\d/,
    /^\s*#\d+\s/,
    /^\s*created by\s/,
    /^\s*Caused by:/,
    /^\s*\.\.\. \d+ more/,
    /\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d/,
    /^\s*\[?\d\d:\d\d:\d\d/,
    /^\s*\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL)\b/,
    /\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s*[:\]|]/,
    /^\s*\S+\.[A-Za-z]{1,5}:\d+(:\d+)?\b/,
    /^\s*(\/|[A-Za-z]:\\)\S+:\d+/,
    /\b0x[0-9a-f]{4,}\b/i,
    /^\s*<\/?[a-zA-Z][\w-]*(\s[^>]*)?\/?>/,
    /^\s*[~^]{2,}\s*$/,
    /^\s*\^\s*$/,
    /^\s*[$>]\s\S/,
    /^\s*\+\s*0x/,
    /^\s*\w+(Error|Exception)\b/,
    /^\s*(Traceback|panic:|thread ')/,
  ]
    .map((r) => r.source)
    .join("|"),
  "i",
);

/** A line stating an error, as the matching of messages also reads it. */
export const ERROR_LINE =
  /\b(error|errors|panic|panicked|exception|fatal|fail|failed|failure|invalid|cannot|can't|unable|unexpected|not found|denied|refused|assert|assertion|traceback|segmentation|undefined|overflow|warning)\b/i;

const QUOTED = /"[^"\n]{6,}"|'[^'\n]{6,}'|`[^`\n]{3,}`/;

/** What the caller knows of the project: whether a line points at its own code. */
export type OwnCodeTest = (line: string) => boolean;

export interface CleanedBlock {
  /** The lines that still count, in their order. */
  kept: string;
  /** The rest of a pasted output (empty for a block read as written). */
  residue: string;
}

/** Whether a block is pasted program output rather than code or prose the reporter wrote. */
export function isPastedOutput(block: string): boolean {
  const lines = block.split("\n").filter((l) => l.trim() !== "");
  if (lines.length < MIN_LINES) return false;
  const output = lines.filter((l) => OUTPUT_LINE.test(l)).length;
  return output / lines.length >= OUTPUT_SHARE;
}

/**
 * Split a block into what counts and residue. A block that is not pasted output is kept whole;
 * one that is keeps its error lines, its lines pointing at own code, its quoted messages and its
 * first line (the command or the error header), each kind at most `MAX_KEPT` times.
 */
export function cleanBlock(block: string, ownCode: OwnCodeTest | undefined): CleanedBlock {
  if (!isPastedOutput(block)) return { kept: block, residue: "" };
  const kept: string[] = [];
  const residue: string[] = [];
  const seen = new Set<string>();
  let errors = 0;
  let own = 0;
  let quoted = 0;
  let first = true;
  for (const line of block.split("\n")) {
    if (line.trim() === "") continue;
    // The same message with other numbers (ids, addresses, times) is one message.
    const key = line.replace(/\d+/g, "0").trim();
    let keep = false;
    if (first) keep = true;
    else if (ERROR_LINE.test(line) && errors < MAX_KEPT && !seen.has(key)) {
      errors++;
      keep = true;
    } else if (ownCode?.(line) && own < MAX_KEPT) {
      own++;
      keep = true;
    } else if (QUOTED.test(line) && quoted < MAX_KEPT && !seen.has(key)) {
      quoted++;
      keep = true;
    }
    first = false;
    seen.add(key);
    (keep ? kept : residue).push(line);
  }
  return { kept: kept.join("\n"), residue: residue.join("\n") };
}
