import type { Handler } from "./http";

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/**
 * A list of (method, path pattern, handler). Patterns are written like `/api/v2/tickets/:id`
 * (a `:name` matches one segment) and may end in `*` (the rest of the path, slashes included).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const source = path
      .split("/")
      .map((seg) => (seg === "*" ? "(.+)" : seg.startsWith(":") ? "([^/]+)" : escapeRegExp(seg)))
      .join("/");
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), handler });
    return this;
  }

  /** The handler and decoded params for a request, or whether the path exists for another method. */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: string[] } | { handler?: undefined; pathExists: boolean } {
    let pathExists = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathExists = true;
      if (r.method === method || (method === "HEAD" && r.method === "GET")) {
        return { handler: r.handler, params: m.slice(1).map((p) => decodeURIComponent(p)) };
      }
    }
    return { pathExists };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
