import http from "node:http";
import https from "node:https";

/**
 * A `fetch` over `node:http`/`node:https` with keep-alive agents, for the server-side clients on
 * the webhook intake's hot path (the admin Supabase client, the Inngest client). Node's built-in
 * fetch (undici) builds a WHATWG Request, Headers, AbortSignal and ReadableStream for every call;
 * measured in isolation (docs/webhooks.md "Where the CPU goes, profiled") a REST call cost the
 * app about 1 ms of CPU through it and 0.3–0.5 ms through `node:http`.
 *
 * Only what those clients send is handled here: a URL, a method, headers, a string or byte body
 * and an abort signal. Anything else (a Request object, a stream or form body) goes to the
 * built-in fetch unchanged. The response is read whole and handed back as a standard Response.
 * Redirects are not followed (neither API redirects).
 */

const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16 };
const httpAgent = new http.Agent(agentOptions);
const httpsAgent = new https.Agent(agentOptions);

/** Status codes a Response must not carry a body for. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [k, v] of headers instanceof Headers ? headers.entries() : headers) {
      out[k.toLowerCase()] = v;
    }
    return out;
  }
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = String(v);
  }
  return out;
}

function bodyBytes(body: BodyInit | null | undefined): Buffer | null | undefined {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return undefined; // a kind this fetch does not handle
}

export const keepAliveFetch: typeof fetch = (input, init) => {
  const url = typeof input === "string" ? new URL(input) : input instanceof URL ? input : undefined;
  const body = bodyBytes(init?.body);
  if (!url || body === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return fetch(input, init);
  }
  const signal = init?.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const headers = plainHeaders(init?.headers);
    if (body) headers["content-length"] = String(body.length);
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(
      url,
      { method: init?.method ?? "GET", headers, agent: secure ? httpsAgent : httpAgent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          signal?.removeEventListener("abort", onAbort);
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            responseHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
          }
          const status = res.statusCode ?? 500;
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage,
              headers: responseHeaders,
            }),
          );
        });
      },
    );
    const onAbort = () => req.destroy(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      // fetch rejects network failures with a TypeError whose cause is the error
      reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
    });
    req.end(body ?? undefined);
  });
};
