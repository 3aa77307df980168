import type { SymbolMention } from "./index";
import type { ReportText } from "./report-text";

/**
 * Identifiers the report writes like code: qualified names (`a::b`, `a.b`, `a->b`), words in
 * backticks and code blocks, code-looking words in prose (`camelCase`, `snake_case`, `call()`),
 * and kebab-case flags as the identifier code writes for them (`max_count`). Appended to the
 * frames' symbols, each once per source.
 */

const QUALIFIED_RE = /\b([A-Za-z_][\w]*(?:(?:::|\.|->|#)[A-Za-z_][\w]*)+)(\s*\()?/g;
const IDENT_RE = /\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g;

function isCodeLike(word: string): boolean {
  return /[a-z][A-Z]|[A-Z]{2,}[a-z]|_/.test(word) && word.length >= 3 && !/^_+$/.test(word);
}

/**
 * A plain lower-case word of a code block or log that is neither called, qualified nor written
 * in backticks is as likely an ordinary word (`invalid`, `address`, `close`) as a name: it counts
 * this share of a name used as code.
 */
export const PLAIN_WORD_SHARE = 0.3;

export function codeSymbols(
  text: ReportText,
  kebab: readonly string[],
  symbols: SymbolMention[],
  options: { codeNames?: boolean } = {},
): void {
  const { title, inline, blocks, prose } = text;
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
        // Names used as code (called, camel- or snake-case, in backticks) keep their weight;
        // a plain word of a block is a name only perhaps.
        const plain = inCode && codeWeight < 1 && !call && /^[a-z]+$/.test(word);
        const share = plain && options.codeNames !== false ? PLAIN_WORD_SHARE : 1;
        addSymbol(
          word,
          undefined,
          (inCode ? codeWeight : call ? 1 : 0.6) * share,
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
}
