import { z } from "zod";

/**
 * One error model for the whole app. Throw `new AppError(code, message?)`; guards turn it into an
 * HTTP status (route handlers) or an `ActionState` (server actions).
 *
 * Rules: "not yours" is `not_found` (404), the same answer as "not there"; zod failures are
 * `validation` (422) with one human-readable line and per-field messages; anything unexpected is
 * `internal` with a generic message (the cause is logged, never shown).
 */

export const APP_ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  validation: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

const DEFAULT_MESSAGES: Record<AppErrorCode, string> = {
  bad_request: "The request could not be understood.",
  unauthenticated: "Sign in to continue.",
  forbidden: "Your role does not allow this.",
  not_found: "Not found.",
  conflict: "That conflicts with something that already exists.",
  gone: "This link has expired or was already used.",
  payload_too_large: "The request is too large.",
  validation: "Some fields need attention.",
  rate_limited: "Too many attempts. Wait a moment and try again.",
  internal: "Something went wrong on our side. Try again in a moment.",
  unavailable: "The service is temporarily unavailable. Try again in a moment.",
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly fieldErrors?: FieldErrors;
  /**
   * Extra machine-readable detail for a form, finer than `code` (sign-in's `unconfirmed` offers
   * a resend, `locked` names the wait). Never shown as text; never a secret.
   */
  readonly reason?: string;

  constructor(
    code: AppErrorCode,
    message?: string,
    options?: { cause?: unknown; fieldErrors?: FieldErrors; reason?: string },
  ) {
    super(message ?? DEFAULT_MESSAGES[code], { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.status = APP_ERROR_STATUS[code];
    this.fieldErrors = options?.fieldErrors;
    this.reason = options?.reason;
  }
}

/** The HTTP status of an error code. */
export function statusOf(code: AppErrorCode): number {
  return APP_ERROR_STATUS[code];
}

function humanPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "";
  const words = path.map(String).join(".");
  const spaced = words.replace(/[_.]/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

/** Turns a zod error into a 422 `AppError` with one summary line and per-field messages. */
export function fromZodError(error: z.ZodError): AppError {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    const list = fieldErrors[key] ?? [];
    list.push(issue.message);
    fieldErrors[key] = list;
  }
  const first = error.issues[0];
  let line = "The input is invalid.";
  if (first) {
    const where = humanPath(first.path);
    line = where ? `${where}: ${first.message}` : first.message;
    const others = error.issues.length - 1;
    if (others > 0) line += ` (and ${others} more ${others === 1 ? "problem" : "problems"})`;
  }
  return new AppError("validation", line, { cause: error, fieldErrors });
}

/** PostgREST's convention: SQLSTATE `PTxyz` means HTTP status xyz. */
const PT_STATUS = /^PT(\d{3})$/;

const STATUS_TO_CODE: Record<number, AppErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "gone",
  413: "payload_too_large",
  422: "validation",
  429: "rate_limited",
};

/**
 * Maps a Postgres/PostgREST error (`{ code, message }` from supabase-js or pg) to an app error
 * code. Our RPCs raise `PT404`, `PT403`, `PT409`, `PT410`, `PT422` with a message meant for
 * people; Postgres' own codes map to their nearest meaning.
 */
export function codeFromPostgres(sqlstate: string | undefined): AppErrorCode {
  if (!sqlstate) return "internal";
  const pt = PT_STATUS.exec(sqlstate);
  if (pt?.[1]) return STATUS_TO_CODE[Number(pt[1])] ?? "internal";
  switch (sqlstate) {
    case "23505": // unique_violation
      return "conflict";
    case "23503": // foreign_key_violation
    case "23502": // not_null_violation
    case "23514": // check_violation
    case "22023": // invalid_parameter_value
    case "22P02": // invalid_text_representation
    case "22001": // string_data_right_truncation
      return "validation";
    case "42501": // insufficient_privilege, incl. RLS "new row violates row-level security"
      return "forbidden";
    case "P0002": // no_data_found
    case "PGRST116": // .single() found no row
      return "not_found";
    case "PGRST301": // JWT invalid/expired
    case "PGRST302":
      return "unauthenticated";
    default:
      return "internal";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Normalises anything thrown into an `AppError`. Known shapes keep a safe message; unknown ones
 * become `internal` with the generic message (keep the original as `cause` for the log).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return fromZodError(error);
  if (isRecord(error) && typeof error.code === "string" && typeof error.message === "string") {
    // PostgrestError ({ code, message, details, hint }) or a pg DatabaseError
    const code = codeFromPostgres(error.code);
    if (code === "internal") return new AppError("internal", undefined, { cause: error });
    // Our own RPC messages (PTxxx) are written for people; Postgres' own are not.
    const own = PT_STATUS.test(error.code);
    return new AppError(code, own ? error.message : undefined, { cause: error });
  }
  if (isRecord(error) && error.name === "AuthApiError" && typeof error.status === "number") {
    const code = STATUS_TO_CODE[error.status] ?? "internal";
    return new AppError(code, undefined, { cause: error });
  }
  return new AppError("internal", undefined, { cause: error });
}

/** The JSON body every route handler error uses. */
export interface ErrorBody {
  error: { code: AppErrorCode; message: string; fields?: FieldErrors };
}

/** Serialises an error for an HTTP response (no stack, no cause, no internals). */
export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fields: error.fieldErrors } : {}),
    },
  };
}

/** A JSON `Response` for any thrown value. */
export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(errorBody(appError), {
    status: appError.status,
    headers: { "Cache-Control": "no-store" },
  });
}
