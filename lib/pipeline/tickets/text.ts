/**
 * Plain-text hygiene for everything a ticket carries. Customer text is shown on pages, matched by
 * the noise filter and extraction, and maybe sent to a model, so it must not smuggle anything
 * that changes how it displays or parses.
 */

// C0 and C1 control characters except tab and newline; DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Bidirectional overrides and isolates ("Trojan Source"): they reorder what a reader sees.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Zero-width space, word joiner, BOM and other invisible fillers. ZWJ/ZWNJ are kept: scripts
// such as Persian and emoji sequences need them.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD\u180E]/g;

/**
 * Returns `input` as clean plain text: NFC, `\n` line ends, no control, bidi-override or
 * invisible characters, trailing spaces trimmed, at most two consecutive blank lines.
 */
export function normalizeText(input: string): string {
  return (
    input
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      .replace(/\u2028|\u2029/g, "\n")
      .replace(CONTROL, "")
      .replace(BIDI, "")
      .replace(INVISIBLE, "")
      // (the lookbehind keeps this linear on long runs of spaces)
      .replace(/(?<![ \t])[ \t]+$/gm, "")
      .replace(/\n{4,}/g, "\n\n\n")
      .trim()
  );
}

/** One line, at most `max` characters, cut on a word boundary with an ellipsis. */
export function oneLine(input: string, max: number): string {
  const flat = normalizeText(input).replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
