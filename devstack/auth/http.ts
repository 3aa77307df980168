import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { AuthError, badRequest } from "./errors";

/** GoTrue's default body limit for JSON endpoints. */
const MAX_BODY_BYTES = 1_000_000;

/** Reads the raw request body, refusing more than the limit with GoTrue's 413. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) {
      throw new AuthError(
        413,
        "request_entity_too_large",
        `Request body too large (max ${limit} bytes)`,
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads a JSON body and parses it with a zod schema. Malformed JSON and values of the wrong type
 * answer GoTrue's 400 `bad_json` ("Could not parse request body as JSON: …"), which is what Go's
 * json.Unmarshal into the params struct produces for both. An empty body counts as `{}`.
 */
export async function parseBody<T extends z.ZodType>(
  req: IncomingMessage,
  schema: T,
): Promise<z.infer<T>> {
  const text = await readBody(req);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (err) {
      const detail = err instanceof Error ? err.message : "invalid JSON";
      throw badRequest("bad_json", `Could not parse request body as JSON: ${detail}`);
    }
  }
  if (value === null) value = {};
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join(".")})` : "";
    throw badRequest(
      "bad_json",
      `Could not parse request body as JSON: ${issue?.message ?? "invalid"}${where}`,
    );
  }
  return parsed.data;
}

/** Reads a form-encoded or JSON body (the stand-in IdP's consent form posts a form). */
export async function parseForm(req: IncomingMessage): Promise<URLSearchParams> {
  const text = await readBody(req, 64_000);
  return new URLSearchParams(text);
}

/** The bearer token of the request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const raw = req.headers.authorization;
  if (!raw) return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(raw);
  return m?.[1];
}

/** Sends a redirect (GoTrue uses 302 for OAuth and 303 for email links). */
export function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.statusCode = status;
  res.setHeader("Location", location);
  res.setHeader("Content-Length", 0);
  res.end();
}

/** The client address, for audit entries and session rows. */
export function clientIp(req: IncomingMessage): string {
  const fwd = req.headers["x-forwarded-for"];
  const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim();
  return first || req.socket.remoteAddress?.replace(/^::ffff:/, "") || "127.0.0.1";
}
