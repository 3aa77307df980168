import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";

/** One request as the sandbox handlers see it: the whole body is already read (size-limited). */
export interface SandboxRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What a handler answers; the server writes it. */
export interface SandboxResponse {
  status: number;
  json?: unknown;
  html?: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
}

export type Handler = (
  req: SandboxRequest,
  params: string[],
) => SandboxResponse | Promise<SandboxResponse>;

/** A provider-shaped error: thrown anywhere in a handler, answered by the server as is. */
export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
  ) {
    super(`provider error ${status}`);
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>) => ({
  status,
  json: body,
  headers,
});
export const html = (status: number, page: string) => ({ status, html: page });
export const redirect = (location: string) => ({ status: 302, headers: { location } });

/**
 * The body as an object: JSON, or a form (`application/x-www-form-urlencoded`, what OAuth token
 * endpoints and HTML forms send). Anything unparseable is `undefined`, which the schema refuses.
 */
export function bodyObject(req: SandboxRequest): unknown {
  if (req.body.length === 0) return {};
  const type = String(req.headers["content-type"] ?? "");
  const text = req.body.toString("utf8");
  if (type.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = out[k];
      if (prev === undefined) out[k] = v;
      else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The query string as a flat object (last value wins), for zod. */
export function queryObject(req: SandboxRequest): Record<string, string> {
  return Object.fromEntries(req.url.searchParams);
}

/** One readable line for the first zod issue: `field: message`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`;
}

/**
 * Parses `value` with `schema`, or throws the provider's error built by `onError` from one readable
 * line. Every body the sandbox accepts goes through here.
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  onError: (message: string) => ProviderError,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw onError(firstIssue(parsed.error));
  return parsed.data;
}

/** The bearer (or GitHub-style `token`) credential of a request, if any. */
export function bearerToken(req: SandboxRequest): string | undefined {
  const h = String(req.headers.authorization ?? "");
  const m = /^(?:bearer|token)\s+(\S+)$/i.exec(h.trim());
  return m?.[1];
}

/** Basic-auth user and password (Razorpay's key id and secret). */
export function basicAuth(req: SandboxRequest): { user: string; password: string } | undefined {
  const h = String(req.headers.authorization ?? "");
  const m = /^basic\s+(\S+)$/i.exec(h.trim());
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
