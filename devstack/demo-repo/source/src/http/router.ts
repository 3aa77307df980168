import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody, statusFor } from "./errors.js";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Set by `requireSession` once the cookie has been checked. */
  customerId?: string;
}

export type Handler = (ctx: RequestContext) => Promise<unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/**
 * A deliberately small router: exact methods, `:param` segments, JSON in and out. Anything
 * a handler returns is sent as JSON with 200 unless it set the status itself.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        if (segment.startsWith(":")) {
          keys.push(segment.slice(1));
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = this.match(req.method ?? "GET", url.pathname);
    if (!match) {
      sendJson(res, 404, { error: { code: "not_found", message: "No such endpoint" } });
      return;
    }
    const ctx: RequestContext = { req, res, params: match.params, query: url.searchParams };
    try {
      const result = await match.route.handler(ctx);
      // Handlers that create something set 201 on the response before returning.
      if (!res.headersSent) sendJson(res, res.statusCode, result);
    } catch (error) {
      const status = statusFor(error);
      if (status >= 500) console.error("request failed", req.method, url.pathname, error);
      if (!res.headersSent) sendJson(res, status, errorBody(error));
    }
  }

  private match(method: string, pathname: string) {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route, params };
    }
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}
