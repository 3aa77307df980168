/**
 * Reads a request's raw bytes once, refusing more than `limit` bytes without buffering them: the
 * declared Content-Length is checked first, then the stream is counted as it arrives (a sender
 * can lie about, or omit, the length).
 */

export type RawBodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too_large" };

export async function readRawBody(request: Request, limit: number): Promise<RawBodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}

/** Per-provider body limits: what each sends at most, with headroom; above it, 413. */
export const BODY_LIMITS = {
  // event-subscription bodies carry one ticket and one comment
  zendesk: 2 * 1024 * 1024,
  // a conversation notification carries the conversation and its parts
  intercom: 2 * 1024 * 1024,
  // GitHub caps payloads at 25 MB (a push of many commits)
  github: 25 * 1024 * 1024,
  razorpay: 1024 * 1024,
} as const;
