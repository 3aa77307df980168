/** Small text helpers shared by the extraction rules. */

/** Whole-word, case-insensitive, Unicode-aware regular expression from a source. */
export function words(source: string, flags = "iu"): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, flags);
}

/** Sentences of prose: split at end punctuation and line breaks, trimmed, non-empty. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Trims list markers, quotes and trailing punctuation from a captured clause. */
export function clean(clause: string): string {
  return (
    clause
      .replace(/^\s*(?:[-*•]|\d+[.)])\s+/u, "")
      // (the lookbehind keeps the trailing trim linear on long runs of spaces)
      .replace(/^[\s,;:–—-]+|(?<![\s,;:–—-])[\s,;:–—-]+$/gu, "")
      .trim()
  );
}

/** Lines inside fenced code blocks removed, so labels and lists are read from prose only. */
export function withoutCodeBlocks(text: string): string {
  return text.replace(/```[\s\S]*?```/g, "\n");
}
