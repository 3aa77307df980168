import type { PathMention, SymbolMention } from "./index";
import type { ReportText } from "./report-text";

/**
 * Stack frames and paths: Java `at a.b.C.m(C.java:12)`, Python `File "x.py", line 3, in f`
 * (weighed from the last frame), Go `pkg.(*T).M(…)`, gdb `#0 … in f (…)`, links to code lines,
 * and any `path/file.ext:line`. Each frame weighs less than the one before it.
 */

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

/** Paths with lines, and the functions frames name, in the order they weigh. */
export function framesAndPaths(text: ReportText): {
  paths: PathMention[];
  symbols: SymbolMention[];
} {
  const { all, rawBlocks, links } = text;
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

  return { paths, symbols };
}
