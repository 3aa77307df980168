import { z } from "zod";

/**
 * Keyset pagination over `(timestamp desc, id desc)`: the cursor names the last row shown, so a
 * page costs the same at row 10 as at row 10,000 (an index range scan, no OFFSET), and rows that
 * arrive meanwhile do not shift the next page. Opaque in the URL (base64url of "iso|uuid").
 */

export interface Cursor {
  at: string;
  id: string;
}

const cursorShape = z.object({ at: z.iso.datetime({ offset: true }), id: z.uuid() });

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor in `value`, or undefined for anything that is not one (a hand-edited URL). */
export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value || value.length > 200) return undefined;
  const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const parsed = cursorShape.safeParse({ at, id });
  return parsed.success ? parsed.data : undefined;
}

/**
 * The PostgREST `or` filter for rows strictly after `cursor` in `(column desc, id desc)` order,
 * or strictly before it (for the previous page, read ascending and reversed). Values are quoted
 * so the timestamp's `:` `.` `+` are never read as syntax.
 */
export function keysetFilter(column: string, cursor: Cursor, direction: "older" | "newer"): string {
  const op = direction === "older" ? "lt" : "gt";
  return `${column}.${op}."${cursor.at}",and(${column}.eq."${cursor.at}",id.${op}.${cursor.id})`;
}

/** Escapes `%`, `_` and `\` for an ILIKE pattern, so a search for "50%" means those characters. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
