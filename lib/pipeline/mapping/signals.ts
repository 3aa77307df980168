import { bigrams, splitIdentifier, stem, tokenize, wordSequence } from "../code-index/tokenize";
import type { BugReport } from "./types";

/**
 * What a bug report says that can be matched against code: weighted words, message fragments
 * (word pairs, matched against string literals), file paths with line numbers, and symbols
 * (identifiers written like code, and function names from stack frames).
 */
export interface PathMention {
  path: string;
  line?: number;
  weight: number;
  source: "stack-frame" | "text";
  raw: string;
}

export interface SymbolMention {
  name: string;
  qualifier?: string;
  weight: number;
  source: "stack-frame" | "code" | "text";
  raw: string;
}

export interface QuerySignals {
  terms: Map<string, number>;
  /** Words of the title alone: reporters summarise there. */
  titleTerms: Map<string, number>;
  /** Quoted messages and message-like log lines, as word-pair sequences (at least two pairs). */
  messages: { pairs: string[]; raw: string }[];
  /** Words of code spans, code blocks and quoted messages alone. */
  codeTerms: Map<string, number>;
  paths: PathMention[];
  symbols: SymbolMention[];
}

const SOURCE_EXT =
  "go|rs|py|pyi|java|kt|scala|c|h|cc|cpp|cxx|hpp|hh|hxx|ipp|inl|js|jsx|mjs|cjs|ts|tsx|mts|vue|svelte|rb|php|swift|cs|m|mm";
const PATH_RE = new RegExp(
  `((?:[A-Za-z]:)?[\\w.@~+-]*(?:[\\\\/][\\w.@~+-]+)*\\.(?:${SOURCE_EXT}))(?![\\w])(?:[:(](\\d+))?`,
  "g",
);
const JAVA_FRAME_RE = /\bat\s+((?:[\w$]+\.)+)([\w$<>]+)\(([\w$]+\.(?:java|kt|scala)):(\d+)\)/g;
const PY_FRAME_RE = /File "([^"]+)", line (\d+), in ([\w<>]+)/g;
const GO_FRAME_RE =
  /([\w./-]+)\.(?:\(\*?([\w]+)\)\.)?([\w]+)\((?:0x[0-9a-f]+|\.\.\.|\)|[^)\n]{0,80}\))/g;
const GDB_FRAME_RE = /#\d+\s+(?:0x[0-9a-f]+\s+in\s+)?([\w:~]+)\s*\(/g;
const QUALIFIED_RE = /\b([A-Za-z_][\w]*(?:(?:::|\.|->|#)[A-Za-z_][\w]*)+)(\s*\()?/g;
const IDENT_RE = /\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g;
const URL_RE = /\bhttps?:\/\/\S+/g;
/**
 * A link to code on a forge (`github.com/o/r/blob/<ref>/a/b.py#L46`, GitLab's `/-/blob/`,
 * Bitbucket's `/src/`): the file, and the line the reporter pointed at.
 */
const CODE_LINK_RE =
  /\bhttps?:\/\/[^\s/]+\/[^\s]*?\/(?:-\/)?(?:blob|src)\/[^/\s#?]+\/([^\s#?)\]>"'`]+)(?:#L(\d+))?/g;

/**
 * Words of issue templates and bug-report prose ("what version … expected behaviour … steps to
 * reproduce") that say nothing about where the bug is. Dropped from prose, kept in code.
 */
const TEMPLATE_WORDS = new Set(
  (
    "version bug describe description expected expect behavior behaviour actual reproduce steps step " +
    "environment issue please thank thanks information info os operating system install installed " +
    "installation happen happened happens see saw seen instead hi hello problem question work works " +
    "working worked try tried trying way something anything thing think know want need would like " +
    "still also however example following below above here there current currently latest " +
    "release released"
  )
    .split(" ")
    .filter((w) => w !== "")
    .map(stem),
);

/** Keep the `max` heaviest terms (ties by term), so long logs do not slow queries down. */
function limitTerms(terms: Map<string, number>, max: number): void {
  if (terms.size <= max) return;
  const kept = [...terms.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max);
  terms.clear();
  for (const [t, w] of kept) terms.set(t, w);
}

function notTemplate(term: string): boolean {
  return !TEMPLATE_WORDS.has(term);
}

function isCodeLike(word: string): boolean {
  return /[a-z][A-Z]|[A-Z]{2,}[a-z]|_/.test(word) && word.length >= 3 && !/^_+$/.test(word);
}

function addTerms(into: Map<string, number>, terms: Iterable<string>, weight: number): void {
  for (const t of terms) into.set(t, (into.get(t) ?? 0) + weight);
}

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
  // Indented lines and log-looking lines are code too.
  const lines = prose.split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    if (
      /^( {4}|\t)\S/.test(line) ||
      /^\s*(at |goroutine |panic:|thread '|Traceback|File ")/.test(line)
    )
      blocks.push(line);
    else kept.push(line);
  }
  return { blocks, inline, prose: kept.join("\n") };
}

function pushPath(
  out: PathMention[],
  raw: string,
  path: string,
  line: number | undefined,
  source: PathMention["source"],
  weight: number,
): void {
  const clean = path.replace(/\\/g, "/").replace(/^(?:\.?\/)+/, "");
  if (clean.length < 3 || /^\d/.test(clean)) return;
  out.push(
    line === undefined
      ? { path: clean, weight, source, raw }
      : { path: clean, line, weight, source, raw },
  );
}

function decodeLinkPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a stray `%` in a pasted link: keep the path as written
  }
}

/** Hyphenated names written like flags or keys: `--max-count`, `word-regexp`, `tab-width`. */
function kebabNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /(?:^|[\s`(=,[])-{0,2}([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)+)(?![\w-])/gi,
  )) {
    const name = (m[1] ?? "").toLowerCase();
    if (name.length >= 5 && name.length <= 40) out.add(name);
  }
  return [...out];
}

/** Extract everything matchable from a bug report. */
export function extractSignals(bug: BugReport): QuerySignals {
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
  const body = withLinks.replace(URL_RE, " ");
  const all = `${title}\n${body}`;
  const { blocks: rawBlocks, inline, prose } = codeParts(body);
  // Directories of paths in logs and traces (`/home/u/go/src/…/file.go`) are the reporter's
  // machine, not the code: keep only the file name for word matching. Paths are matched whole
  // by `paths` below.
  const blocks = rawBlocks.map((b) => b.replace(/(?:[\w.@~+-]*[\\/])+([\w.-]+)/g, " $1"));
  const code = [...blocks, ...inline].join("\n");

  const terms = new Map<string, number>();
  addTerms(terms, tokenize(title).filter(notTemplate), 3);
  addTerms(terms, tokenize(prose).filter(notTemplate), 1);
  addTerms(terms, tokenize(inline.join("\n")), 2);
  addTerms(terms, tokenize(blocks.join("\n")), 0.5);
  // Kebab-case names (`--max-count`, `tab-width: 4`) are written snake- or camelCase in the
  // code that reads them (`max_count`, `tabWidth`): match their whole form as an identifier.
  const kebab = kebabNames(`${title}\n${inline.join("\n")}\n${prose}`);
  addTerms(
    terms,
    kebab.map((k) => stem(k.replace(/-/g, ""))),
    2,
  );
  // Word pairs: quoted messages and code say what a string literal in the code might say.
  addTerms(terms, bigrams(wordSequence(title)), 1.5);
  for (const q of all.matchAll(/"([^"\n]{6,300})"|'([^'\n]{6,300})'/g)) {
    addTerms(terms, bigrams(wordSequence(q[1] ?? q[2] ?? "")), 2);
  }
  for (const line of code.split("\n")) addTerms(terms, bigrams(wordSequence(line)), 0.7);
  for (const line of prose.split(/[.\n]/)) addTerms(terms, bigrams(wordSequence(line)), 0.3);
  const titleTerms = new Map<string, number>();
  addTerms(titleTerms, tokenize(title).filter(notTemplate), 1);
  addTerms(titleTerms, bigrams(wordSequence(title)), 0.5);
  const codeTerms = new Map<string, number>();
  addTerms(codeTerms, tokenize(inline.join("\n")), 1);
  addTerms(codeTerms, tokenize(blocks.join("\n")), 0.5);
  for (const q of all.matchAll(/"([^"\n]{6,300})"|'([^'\n]{6,300})'/g)) {
    addTerms(codeTerms, bigrams(wordSequence(q[1] ?? q[2] ?? "")), 1);
  }
  for (const line of code.split("\n")) addTerms(codeTerms, bigrams(wordSequence(line)), 0.5);
  for (const m of [terms, titleTerms, codeTerms]) limitTerms(m, 200);
  // Dampen words repeated in long logs.
  for (const m of [terms, titleTerms, codeTerms]) {
    for (const [t, w] of m) m.set(t, Math.sqrt(w) * Math.min(1, 1 + Math.log(w) / 4));
  }

  const paths: PathMention[] = [];
  const symbols: SymbolMention[] = [];
  let frameRank = 0;
  const frameWeight = (): number => 0.85 ** frameRank++;

  const javaFrames = [...all.matchAll(JAVA_FRAME_RE)];
  for (const m of javaFrames) {
    const pkg = (m[1] ?? "").replace(/\.$/, "");
    const cls = pkg.split(".").pop() ?? "";
    const dir = pkg.split(".").slice(0, -1).join("/");
    const w = frameWeight();
    pushPath(paths, m[0], `${dir}/${m[3]}`, Number(m[4]), "stack-frame", w);
    symbols.push({
      name: (m[2] ?? "").replace(/[<>]/g, ""),
      qualifier: cls.split("$")[0],
      weight: w,
      source: "stack-frame",
      raw: m[0],
    });
  }
  // A Python traceback lists the most recent call last: the frame nearest the error is the
  // last one, so weights fall from the end.
  const pyFrames = [...all.matchAll(PY_FRAME_RE)].reverse();
  for (const m of pyFrames) {
    const w = frameWeight();
    pushPath(paths, m[0], m[1] ?? "", Number(m[2]), "stack-frame", w);
    if (m[3] && !m[3].startsWith("<"))
      symbols.push({ name: m[3], weight: w, source: "stack-frame", raw: m[0] });
  }
  // Paths inside the frames read above are not counted a second time below.
  const frameSpans = [...javaFrames, ...pyFrames].map(
    (m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const,
  );
  const inFrame = (at: number): boolean => frameSpans.some(([a, b]) => a <= at && at < b);
  for (const block of rawBlocks) {
    for (const m of block.matchAll(GO_FRAME_RE)) {
      if (!m[1]?.includes("/") && !m[2]) continue;
      const w = 0.85 ** Math.min(frameRank, 20);
      symbols.push(
        m[2]
          ? { name: m[3] ?? "", qualifier: m[2], weight: w, source: "stack-frame", raw: m[0] }
          : { name: m[3] ?? "", weight: w, source: "stack-frame", raw: m[0] },
      );
    }
    for (const m of block.matchAll(GDB_FRAME_RE)) {
      const segs = (m[1] ?? "").split("::");
      const name = segs.pop() ?? "";
      symbols.push(
        segs.length
          ? { name, qualifier: segs.pop(), weight: 0.8, source: "stack-frame", raw: m[0] }
          : { name, weight: 0.8, source: "stack-frame", raw: m[0] },
      );
    }
  }
  for (const m of links) {
    const line = m[2] === undefined ? undefined : Number(m[2]);
    pushPath(paths, m[0], decodeLinkPath(m[1] ?? ""), line, "text", 1);
  }
  for (const m of all.matchAll(PATH_RE)) {
    if (inFrame(m.index ?? 0)) continue;
    const raw = m[0];
    const isFrame = /^\s*(at |\/|[A-Za-z]:\\)/.test(raw) || m[2] !== undefined;
    pushPath(
      paths,
      raw,
      m[1] ?? "",
      m[2] === undefined ? undefined : Number(m[2]),
      isFrame ? "stack-frame" : "text",
      isFrame ? frameWeight() : 1,
    );
  }

  const seen = new Set<string>();
  const addSymbol = (
    name: string,
    qualifier: string | undefined,
    weight: number,
    source: SymbolMention["source"],
    raw: string,
  ): void => {
    if (name.length < 3) return;
    const key = `${qualifier ?? ""}|${name}|${source}`;
    if (seen.has(key)) return;
    seen.add(key);
    symbols.push(
      qualifier ? { name, qualifier, weight, source, raw } : { name, weight, source, raw },
    );
  };
  const scan = (text: string, inCode: boolean, codeWeight = 1): void => {
    for (const m of text.matchAll(QUALIFIED_RE)) {
      const segs = (m[1] ?? "").split(/::|\.|->|#/);
      if (segs.some((s) => /^\d/.test(s))) continue;
      const name = segs[segs.length - 1] ?? "";
      const qualifier = segs[segs.length - 2];
      if (/^(com|org|net|io|java|javax|www|github|golang|google)$/.test(segs[0] ?? "") && !inCode)
        continue;
      if (/^(md|txt|html|rst|json|yml|yaml|toml|com|org|io|net|exe)$/i.test(name)) continue;
      addSymbol(
        name,
        qualifier,
        inCode ? codeWeight : m[2] ? 1 : 0.7,
        inCode ? "code" : "text",
        m[0],
      );
    }
    // A capitalised name called like a function (`Mod(x, y)`) is a class or constructor, however
    // short.
    for (const m of text.matchAll(IDENT_RE)) {
      const word = m[1] ?? "";
      const call = !!m[2];
      if (
        inCode
          ? word.length >= 4 || isCodeLike(word) || (call && /^[A-Z][a-z]/.test(word))
          : isCodeLike(word) || (call && (word.length >= 4 || /^[A-Z][a-z]/.test(word)))
      ) {
        addSymbol(
          word,
          undefined,
          inCode ? codeWeight : call ? 1 : 0.6,
          inCode ? "code" : "text",
          word,
        );
      }
    }
  };
  for (const k of kebab) addSymbol(k.replace(/-/g, "_"), undefined, 0.8, "code", k);
  scan(title, false);
  scan(inline.join("\n"), true);
  scan(blocks.join("\n"), true, 0.6);
  scan(prose, false);
  const messages: QuerySignals["messages"] = [];
  const seenMessages = new Set<string>();
  const addMessage = (raw: string): void => {
    const pairs = [...new Set(bigrams(wordSequence(raw)))];
    const key = pairs.join(" ");
    if (pairs.length < 2 || pairs.length > 40 || seenMessages.has(key)) return;
    seenMessages.add(key);
    messages.push({ pairs, raw: raw.trim().slice(0, 120) });
  };
  for (const q of all.matchAll(/"([^"\n]{8,300})"|'([^'\n]{8,300})'/g))
    addMessage(q[1] ?? q[2] ?? "");
  for (const line of rawBlocks.join("\n").split("\n")) {
    if (
      /\b(error|panic|exception|fail|failed|invalid|cannot|can't|unable|unexpected|not found)\b/i.test(
        line,
      )
    )
      addMessage(line);
  }
  return { terms, titleTerms, codeTerms, messages: messages.slice(0, 30), paths, symbols };
}

/** Normalised key of a symbol name for lookups: lower case, underscores kept. */
export function symbolKey(name: string): string {
  return name.toLowerCase();
}

/** Terms of a symbol name, as the index stores names. */
export function symbolTerms(name: string): string[] {
  return splitIdentifier(name).map(stem);
}
