/**
 * CSV for spreadsheets (RFC 4180): every field quoted, quotes doubled, CRLF between rows, and
 * formula injection defused: a field that a spreadsheet would evaluate (starting with = + - @,
 * tab or carriage return) gets a leading apostrophe, as OWASP recommends, so a ticket subject
 * like `=HYPERLINK(...)` stays text when the file is opened.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, quoted and defused. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '""';
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** A whole document: header row, then rows, CRLF-terminated, with a BOM so Excel reads UTF-8. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
