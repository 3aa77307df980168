import type { BugReport } from "../types";
import { cleanBlock, type OwnCodeTest } from "./pasted-output";

/**
 * A bug report's text split the way the signals read it: the title, the body, code blocks and
 * log-looking lines, inline code, the remaining prose, and links to code lines on a forge.
 */
export interface ReportText {
  title: string;
  /** Title and body (without URLs, HTML comments and the residue of pasted output). */
  all: string;
  body: string;
  /**
   * Code blocks, runs of indented and log-looking lines, as written; of pasted output only the
   * lines that still count (see `pasted-output.ts`).
   */
  rawBlocks: string[];
  /** The rest of pasted output: weighed little, read for nothing else. */
  residue: string;
  /** The same with the reporter's directories dropped from paths (`/home/u/x/a.go` → `a.go`). */
  blocks: string[];
  inline: string[];
  prose: string;
  /** Blocks and inline code, one per line. */
  code: string;
  /** Links to code lines (`…/blob/<ref>/a/b.py#L46`): path in group 1, line in group 2. */
  links: RegExpExecArray[];
}

const URL_RE = /\bhttps?:\/\/\S+/g;
/**
 * A link to code on a forge (`github.com/o/r/blob/<ref>/a/b.py#L46`, GitLab's `/-/blob/`,
 * Bitbucket's `/src/`): the file, and the line the reporter pointed at.
 */
const CODE_LINK_RE =
  /\bhttps?:\/\/[^\s/]+\/[^\s]*?\/(?:-\/)?(?:blob|src)\/[^/\s#?]+\/([^\s#?)\]>"'`]+)(?:#L(\d+))?/g;

function codeParts(text: string): { blocks: string[]; inline: string[]; prose: string } {
  const blocks: string[] = [];
  const inline: string[] = [];
  let prose = text.replace(/```[^\n]*\n?([\s\S]*?)(```|$)/g, (_m, body: string) => {
    blocks.push(body);
    return "\n";
  });
  prose = prose.replace(/`([^`\n]+)`/g, (_m, body: string) => {
    inline.push(body);
    return " ";
  });
  // Indented lines and log-looking lines are code too; a run of them is one block (a pasted log).
  const lines = prose.split("\n");
  const kept: string[] = [];
  let run: string[] = [];
  const endRun = (): void => {
    if (run.length > 0) blocks.push(run.join("\n"));
    run = [];
  };
  for (const line of lines) {
    if (
      /^( {4}|\t)\S/.test(line) ||
      /^\s*(at |goroutine |panic:|thread '|Traceback|File ")/.test(line)
    )
      run.push(line);
    else {
      if (line.trim() !== "") endRun();
      kept.push(line);
    }
  }
  endRun();
  return { blocks, inline, prose: kept.join("\n") };
}

export interface ReportTextOptions {
  /** Whether a line of pasted output points at the project's own code (a path, a frame). */
  ownCode?: OwnCodeTest;
  /** Reduce long pasted output to the lines that count (default true; off for ablations). */
  cleanOutput?: boolean;
}

/** Split a report into the parts the signals read. */
export function reportText(bug: BugReport, options: ReportTextOptions = {}): ReportText {
  const title = bug.title ?? "";
  const parts = [
    bug.description,
    bug.stepsToReproduce,
    bug.expected,
    bug.actual,
    bug.featureArea,
    ...(bug.errorMessages ?? []).map((m) => `\`\`\`\n${m}\n\`\`\``),
    ...(bug.stackTraces ?? []).map((m) => `\`\`\`\n${m}\n\`\`\``),
  ].filter((p): p is string => !!p);
  const withLinks = parts.join("\n\n").replace(/<!--[\s\S]*?(-->|$)/g, " ");
  const links = [...withLinks.matchAll(CODE_LINK_RE)];
  const fullBody = withLinks.replace(URL_RE, " ");
  const { blocks: allBlocks, inline, prose } = codeParts(fullBody);
  const rawBlocks: string[] = [];
  const residueLines: string[] = [];
  for (const block of allBlocks) {
    const cleaned =
      options.cleanOutput === false
        ? { kept: block, residue: "" }
        : cleanBlock(block, options.ownCode);
    if (cleaned.kept !== "") rawBlocks.push(cleaned.kept);
    if (cleaned.residue !== "") residueLines.push(cleaned.residue);
  }
  const residue = residueLines.join("\n");
  // Quotes, frames and paths are read from the whole text: without the residue, an HTML dump's
  // attributes are not quoted messages and a framework's frames are not paths.
  const dropped = new Set(residue.split("\n").filter((l) => l.trim() !== ""));
  const body =
    dropped.size === 0
      ? fullBody
      : fullBody
          .split("\n")
          .filter((l) => !dropped.has(l))
          .join("\n");
  const all = `${title}\n${body}`;
  // Directories of paths in logs and traces (`/home/u/go/src/…/file.go`) are the reporter's
  // machine, not the code: keep only the file name for word matching. Paths are matched whole
  // by `paths` below.
  const blocks = rawBlocks.map((b) => b.replace(/(?:[\w.@~+-]*[\\/])+([\w.-]+)/g, " $1"));
  const code = [...blocks, ...inline].join("\n");
  return { title, all, body, rawBlocks, residue, blocks, inline, prose, code, links };
}
