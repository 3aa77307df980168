import type { IncomingMessage } from "node:http";
import type { ZodType } from "zod";
import { ValidationError } from "./errors.js";

const MAX_BODY_BYTES = 64 * 1024;

/** Read a JSON body (64 KB at most) and validate it with a schema. */
export async function readBody<T>(req: IncomingMessage, schema: ZodType<T>): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ValidationError("Request body too large");
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ValidationError("Request body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ValidationError(first ? `${first.path.join(".")}: ${first.message}` : "Invalid body", {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

/** Read a cookie by name from the request headers. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
