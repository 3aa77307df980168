import { createServer, type Server } from "node:http";
import { BodyTooLargeError, readBody, sendJson } from "../shared/http";
import type { SandboxContext } from "./context";
import { ProviderError, type SandboxRequest, type SandboxResponse } from "./http";
import type { Router } from "./router";

const MAX_BODY_BYTES = 10_000_000;

/** Runs one request through the router; provider errors become their provider-shaped answers. */
export async function dispatch(router: Router, req: SandboxRequest): Promise<SandboxResponse> {
  // `/contents/` and `/contents` are the same resource to GitHub; a trailing slash never matters here.
  const found = router.match(
    req.method,
    req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path,
  );
  if (!found.handler) {
    return found.pathExists
      ? { status: 405, json: { message: "Method Not Allowed" } }
      : { status: 404, json: { message: "Not Found" } };
  }
  try {
    return await found.handler(req, found.params);
  } catch (err) {
    if (err instanceof ProviderError) return { status: err.status, json: err.payload };
    throw err;
  }
}

/** The sandboxes' one HTTP server at SANDBOX_URL. */
export function createSandboxServer(ctx: SandboxContext, router: Router): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", ctx.sandboxUrl);
    try {
      const body = await readBody(req, MAX_BODY_BYTES);
      const out = await dispatch(router, {
        method: req.method ?? "GET",
        path: url.pathname,
        url,
        headers: req.headers,
        body,
      });
      const headers: Record<string, string> = { ...out.headers };
      let payload: Buffer | string = "";
      if (out.json !== undefined) {
        payload = JSON.stringify(out.json);
        headers["content-type"] ??= "application/json; charset=utf-8";
      } else if (out.html !== undefined) {
        payload = out.html;
        headers["content-type"] = "text/html; charset=utf-8";
        // The pages are forms and tables only; nothing may frame or script them.
        headers["content-security-policy"] =
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'";
      } else if (out.body !== undefined) {
        payload = out.body;
      }
      headers["content-length"] = String(Buffer.byteLength(payload));
      res.writeHead(out.status, headers);
      res.end(req.method === "HEAD" ? undefined : payload);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        sendJson(res, 413, { message: err.message });
        return;
      }
      ctx.log(`sandbox: ${req.method} ${url.pathname} crashed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) sendJson(res, 500, { message: "sandbox failure" });
      else res.end();
    }
  });
}
