import type { IncomingMessage } from "node:http";
import { BodyTooLargeError, readBody } from "../shared/http";

export { escapeHtml, sendHtml, sendJson } from "../shared/http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a JSON request body (at most `limit` bytes); an empty body reads as undefined. */
export async function readJson(req: IncomingMessage, limit = 10_000_000): Promise<unknown> {
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new HttpError(413, err.message);
    throw err;
  }
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}
