/**
 * PostgREST's error model: every failure is answered with `{code, message, details, hint}` and a
 * status derived from the PostgREST error code or the SQLSTATE (PostgREST `src/PostgREST/Error.hs`).
 */

export class RestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null | Array<Record<string, string>>;
  readonly hint: string | null;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: string | null | Array<Record<string, string>> = null,
    hint: string | null = null,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
    this.headers = headers;
  }

  body(): Record<string, unknown> {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint };
  }
}

/** PGRST100: a query parameter that does not parse. */
export function parseError(what: string, raw: string, details: string): RestError {
  return new RestError(400, "PGRST100", `failed to parse ${what} (${raw})`, details);
}

/** PGRST102: a body that is not the JSON the endpoint needs. */
export function invalidBody(message: string): RestError {
  return new RestError(400, "PGRST102", message);
}

/** PGRST205: the table or view is not in the schema cache. */
export function tableNotFound(schema: string, name: string, hint: string | null): RestError {
  return new RestError(
    404,
    "PGRST205",
    `Could not find the table '${schema}.${name}' in the schema cache`,
    null,
    hint,
  );
}

/** PGRST204: a body key that is not a column. */
export function columnNotFound(table: string, column: string): RestError {
  return new RestError(
    400,
    "PGRST204",
    `Could not find the '${column}' column of '${table}' in the schema cache`,
  );
}

/** 42703 as Postgres words it: what PostgREST answers for an unknown column in select/filters. */
export function undefinedColumn(table: string, column: string): RestError {
  return new RestError(400, "42703", `column ${table}.${column} does not exist`);
}

/** PGRST116: `Accept: application/vnd.pgrst.object+json` with a row count other than one. */
export function singularityError(rows: number): RestError {
  return new RestError(
    406,
    "PGRST116",
    "Cannot coerce the result to a single JSON object",
    `The result contains ${rows} rows`,
  );
}

/** The SQLSTATE → HTTP status map of PostgREST (`mapSQLtoHTTP`). `authed` is role ≠ anon. */
export function statusForSqlState(sqlState: string, message: string, authed: boolean): number {
  const s = sqlState;
  const p2 = s.slice(0, 2);
  if (p2 === "08") return 503;
  if (p2 === "09") return 500;
  if (p2 === "0L" || p2 === "0P") return 403;
  if (s === "23503" || s === "23505") return 409;
  if (s === "25006") return 405;
  if (s === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (s === "22023")
    return message.startsWith("role") && message.endsWith("does not exist") ? 401 : 400;
  if (p2 === "25") return 500;
  if (p2 === "28") return 403;
  if (["2D", "38", "39", "3B", "40"].includes(p2)) return 500;
  if (s === "53400") return 500;
  if (p2 === "53") return 503;
  if (p2 === "54" || p2 === "55") return 500;
  if (s === "57P01") return 503;
  if (["57", "58", "F0", "HV"].includes(p2)) return 500;
  if (s === "P0001") return 400;
  if (p2 === "P0" || p2 === "XX") return 500;
  if (s === "42883") return message.startsWith("function xmlagg(") ? 406 : 404;
  if (s === "42P01") return 404;
  if (s === "42P17") return 500;
  if (s === "42501") return authed ? 403 : 401;
  if (p2 === "PT") {
    const n = Number(s.slice(2));
    return Number.isInteger(n) && n >= 100 && n <= 599 ? n : 500;
  }
  return 400;
}

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

function isPgError(e: unknown): e is PgErrorLike & { code: string } {
  return typeof e === "object" && e !== null && typeof (e as PgErrorLike).code === "string";
}

/**
 * Turns anything thrown while serving a request into PostgREST's error. Postgres errors keep their
 * SQLSTATE, message, detail and hint; anything else becomes a 500 without internals.
 */
export function toRestError(e: unknown, authed: boolean): RestError {
  if (e instanceof RestError) return e;
  if (isPgError(e) && /^[0-9A-Z]{5}$/.test(e.code)) {
    const message = typeof e.message === "string" ? e.message : "";
    const status = statusForSqlState(e.code, message, authed);
    const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": "Bearer" } : {};
    return new RestError(
      status,
      e.code,
      message,
      typeof e.detail === "string" ? e.detail : null,
      typeof e.hint === "string" ? e.hint : null,
      headers,
    );
  }
  return new RestError(500, "PGRSTX00", "Internal server error");
}
