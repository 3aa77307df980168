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

export interface Page<T> {
  rows: T[];
  /** cursor of the next (older) page, when there is one */
  next?: string;
  /** cursor of the previous (newer) page, when this is not the first */
  previous?: string;
}

/** Where a list is read from: `after` continues to older rows, `before` goes back to newer ones. */
export interface PageRequest {
  after?: Cursor;
  before?: Cursor;
}

/** A `before` page is read ascending from its cursor (then reversed to newest first). */
export function readsAscending(page: PageRequest): boolean {
  return Boolean(page.before && !page.after);
}

/**
 * The page from rows read with `limit(size + 1)` in the request's order: newest first, with the
 * cursors of the pages on either side. The extra row only says whether more rows lie that way.
 */
export function toPage<Raw, Row>(
  raw: Raw[],
  size: number,
  page: PageRequest,
  toRow: (raw: Raw) => Row,
  cursorOf: (row: Row) => Cursor,
): Page<Row> {
  const ascending = readsAscending(page);
  const more = raw.length > size;
  const slice = raw.slice(0, size);
  const rows = (ascending ? slice.reverse() : slice).map(toRow);
  const first = rows[0];
  const last = rows.at(-1);
  // reading forward: more rows mean an older page; a cursor means a newer one exists
  // reading backward: more rows mean a newer page; we came from an older one
  const hasOlder = ascending ? true : more;
  const hasNewer = ascending ? more : Boolean(page.after);
  return {
    rows,
    next: hasOlder && last ? encodeCursor(cursorOf(last)) : undefined,
    previous: hasNewer && first ? encodeCursor(cursorOf(first)) : undefined,
  };
}

/** Escapes `%`, `_` and `\` for an ILIKE pattern, so a search for "50%" means those characters. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
