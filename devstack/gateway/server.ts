import { createServer, type Server } from "node:http";
import type { DevstackContext, MountedService } from "../shared/context";
import { sendJson } from "../shared/http";

const ALLOW_HEADERS = [
  "authorization",
  "apikey",
  "content-type",
  "x-client-info",
  "x-supabase-api-version",
  "prefer",
  "range",
  "range-unit",
  "accept-profile",
  "content-profile",
  "x-upsert",
  "accept",
].join(", ");

const EXPOSE_HEADERS = [
  "content-range",
  "range-unit",
  "location",
  "content-location",
  "preference-applied",
  "x-supabase-api-version",
  "x-sb-error-code",
].join(", ");

/**
 * The one HTTP server at `API_URL`, like Supabase's Kong: CORS, then `/auth/v1/*` and `/rest/v1/*`
 * to their services. It does no authorisation of its own; each service verifies the JWT.
 */
export function createGateway(
  ctx: DevstackContext,
  services: Record<string, MountedService>,
): Server {
  const prefixes = Object.keys(services).sort((a, b) => b.length - a.length);
  return createServer(async (req, res) => {
    const origin = req.headers.origin;
    res.setHeader("access-control-allow-origin", origin ?? "*");
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-expose-headers", EXPOSE_HEADERS);
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
        "access-control-allow-headers":
          req.headers["access-control-request-headers"] ?? ALLOW_HEADERS,
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", ctx.config.apiUrl);
    if (url.pathname === "/health") {
      sendJson(res, 200, { status: "ok", services: prefixes });
      return;
    }
    const prefix = prefixes.find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`));
    const service = prefix ? services[prefix] : undefined;
    if (!prefix || !service) {
      sendJson(res, 404, { message: "no route matched with those values" });
      return;
    }
    try {
      await service.handle(req, res, url.pathname.slice(prefix.length) || "/", url);
    } catch (err) {
      ctx.log(`gateway: ${req.method} ${url.pathname} crashed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent)
        sendJson(res, 500, { code: "unexpected_failure", message: "Internal error" });
      else res.end();
    }
  });
}
