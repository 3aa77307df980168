import type { SearchIndex } from "../search-index";
import type { OwnCodeTest } from "./pasted-output";

/**
 * Whether a line of pasted output points at the project's own code: a path in it ends like one
 * of the indexed files (two segments or more when it has directories, so `/usr/lib/…/json/x.py`
 * does not pass for the project's `x.py`), or a frame's function (`pkg.(*T).Method(…)`,
 * `#1 … in fn (…)`, `a.b.C.m(C.java:1)`) is defined in at most a few of its files.
 */
const PATH_IN_LINE =
  /((?:[A-Za-z]:)?[\w.@~+-]*(?:[\\/][\w.@~+-]+)*\.[A-Za-z]{1,6})(?=[:(\s,"']|$)/g;
const CALLED = /([A-Za-z_][\w$]*)\s*\(/g;
const MAX_DEFINING_FILES = 3;

export function ownCodeTest(search: SearchIndex): OwnCodeTest {
  return (line) => {
    for (const m of line.matchAll(PATH_IN_LINE)) {
      const path = (m[1] ?? "").replace(/\\/g, "/").replace(/^(?:\.?\/)+/, "");
      if (!/\.[A-Za-z]{1,6}$/.test(path) || /^\d/.test(path)) continue;
      const { files, segments } = search.matchPath(path);
      const needed = path.includes("/") ? 2 : 1;
      if (files.length > 0 && files.length <= MAX_DEFINING_FILES && segments >= needed) return true;
    }
    for (const m of line.matchAll(CALLED)) {
      const defs = search.definitions.get((m[1] ?? "").toLowerCase());
      if (!defs || (m[1] ?? "").length < 4) continue;
      const files = new Set(defs.map((d) => search.chunks[d]?.file));
      if (files.size <= MAX_DEFINING_FILES) return true;
    }
    return false;
  };
}
