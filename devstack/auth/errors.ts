import type { IncomingMessage, ServerResponse } from "node:http";

/** An error GoTrue answers as `HTTPError`: status, machine-readable code, human message. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** GoTrue's `WeakPasswordError`: 422 `weak_password` with `weak_password.reasons`. */
export class WeakPasswordError extends Error {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** An OAuth2-style error (`{error, error_description}`, always 400), used by a few grants. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);

export const API_VERSION_HEADER = "X-Supabase-Api-Version";
const API_VERSION_2024 = "2024-01-01";

/**
 * GoTrue's `DetermineClosestAPIVersion`: a date header at or after 2024-01-01 selects the 2024
 * error format; no header, an earlier date or garbage selects the legacy one.
 */
export function apiVersionOf(req: IncomingMessage): "2024-01-01" | "initial" {
  const raw = req.headers[API_VERSION_HEADER.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "initial";
  const parsed = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed)) return "initial";
  return parsed >= Date.parse(`${API_VERSION_2024}T00:00:00Z`) ? API_VERSION_2024 : "initial";
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/**
 * Writes an error the way GoTrue's `HandleResponseError` does:
 * - with `X-Supabase-Api-Version` ≥ 2024-01-01: `{code, message}` and the header echoed back;
 * - without: the legacy `{code: <status>, error_code, msg}`;
 * - `x-sb-error-code` on HTTP errors (GoTrue omits it for weak passwords in the 2024 format);
 * - OAuth errors: `{error, error_description}` with 400.
 * Anything unexpected becomes a 500 `unexpected_failure` without internals.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const version = apiVersionOf(req);
  if (version !== "initial") res.setHeader(API_VERSION_HEADER, version);
  if (err instanceof WeakPasswordError) {
    if (version !== "initial") {
      writeJson(res, 422, {
        code: "weak_password",
        message: err.message,
        weak_password: { reasons: err.reasons },
      });
    } else {
      res.setHeader("x-sb-error-code", "weak_password");
      writeJson(res, 422, {
        code: 422,
        error_code: "weak_password",
        msg: err.message,
        weak_password: { reasons: err.reasons },
      });
    }
    return;
  }
  if (err instanceof OAuthError) {
    writeJson(res, 400, { error: err.error, error_description: err.description });
    return;
  }
  const httpErr =
    err instanceof AuthError
      ? err
      : new AuthError(500, "unexpected_failure", "Internal Server Error");
  res.setHeader("x-sb-error-code", httpErr.code);
  if (version !== "initial") {
    writeJson(res, httpErr.status, { code: httpErr.code, message: httpErr.message });
  } else {
    writeJson(res, httpErr.status, {
      code: httpErr.status,
      error_code: httpErr.code,
      msg: httpErr.message,
    });
  }
}

/** Writes a JSON success body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  writeJson(res, status, body);
}
