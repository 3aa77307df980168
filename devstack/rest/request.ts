import type { IncomingMessage } from "node:http";
import type { ResponseShape } from "./build-select";
import { invalidBody, RestError } from "./errors";

/** What the client accepts: the JSON shape, and whether it wants CSV or one object. */
export interface Media {
  shape: ResponseShape;
  csv: boolean;
  object: boolean;
  /** `Accept: application/vnd.pgrst.plan…` (`.explain()`): the plan instead of the rows. */
  plan?: PlanMedia;
}

export interface PlanMedia {
  format: "json" | "text";
  /** In PostgREST's order: analyze, verbose, settings, buffers, wal. */
  options: string[];
  /** The media type the plan is for (`for="…"`, default application/json). */
  forType: string;
}

const PLAN_OPTIONS = ["analyze", "verbose", "settings", "buffers", "wal"];

/** `application/vnd.pgrst.plan+json; for="application/json"; options=analyze|verbose`. */
export function planContentType(p: PlanMedia): string {
  const opts = p.options.length ? `; options=${p.options.join("|")}` : "";
  return `application/vnd.pgrst.plan+${p.format}; for="${p.forType}"${opts}; charset=utf-8`;
}

function paramValue(params: string[], name: string): string | undefined {
  for (const p of params) {
    const i = p.indexOf("=");
    if (i > 0 && p.slice(0, i).trim() === name)
      return p
        .slice(i + 1)
        .trim()
        .replace(/^"|"$/g, "");
  }
  return undefined;
}

/**
 * Content negotiation on `Accept`, or PGRST107. The plan media type exists only with PostgREST's
 * db-plan-enabled (`planEnabled`); without it, it is one more type the server cannot produce.
 */
export function negotiate(accept: string | undefined, planEnabled = false): Media {
  if (!accept) return { shape: "array", csv: false, object: false };
  for (const raw of accept.split(",")) {
    const m = raw.trim().toLowerCase();
    const [type, ...params] = m.split(";").map((x) => x.trim());
    const stripped = params.includes("nulls=stripped");
    const planFormat =
      type === "application/vnd.pgrst.plan+json"
        ? "json"
        : type === "application/vnd.pgrst.plan" || type === "application/vnd.pgrst.plan+text"
          ? "text"
          : undefined;
    if (planFormat) {
      if (!planEnabled) continue;
      const forType = paramValue(params, "for") ?? "application/json";
      const inner = negotiate(forType, false);
      const given = (paramValue(params, "options") ?? "").split("|");
      const options = PLAN_OPTIONS.filter((o) => given.includes(o));
      return { ...inner, plan: { format: planFormat, options, forType } };
    }
    if (type === "application/vnd.pgrst.object+json" || type === "application/vnd.pgrst.object") {
      return { shape: stripped ? "stripped-object" : "object", csv: false, object: true };
    }
    if (type === "application/vnd.pgrst.array+json") {
      return { shape: stripped ? "stripped-array" : "array", csv: false, object: false };
    }
    if (type === "application/json" || type === "*/*" || type === "application/*") {
      return { shape: "array", csv: false, object: false };
    }
    if (type === "text/csv") return { shape: "csv", csv: true, object: false };
  }
  const listed = accept.split(",").map((raw) => {
    const [type, ...params] = raw
      .trim()
      .split(";")
      .map((x) => x.trim());
    const lower = (type ?? "").toLowerCase();
    // PostgREST names the types as it decoded them: a plan type in its canonical form.
    if (lower.startsWith("application/vnd.pgrst.plan")) {
      const given = (paramValue(params, "options") ?? "").split("|");
      const p: PlanMedia = {
        format: lower === "application/vnd.pgrst.plan+json" ? "json" : "text",
        options: PLAN_OPTIONS.filter((o) => given.includes(o)),
        forType: paramValue(params, "for") ?? "application/json",
      };
      return planContentType(p).replace(/; charset=utf-8$/, "");
    }
    return raw.trim();
  });
  throw new RestError(
    406,
    "PGRST107",
    `None of these media types are available: ${listed.join(", ")}`,
  );
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The token PostgREST would see: `Authorization: Bearer …`, else the `apikey` header. */
export function requestToken(req: IncomingMessage): string | undefined {
  const auth = headerValue(req, "authorization");
  if (auth !== undefined) {
    const m = /^bearer\s*(.*)$/i.exec(auth.trim());
    if (m) return (m[1] ?? "").trim();
  }
  return headerValue(req, "apikey");
}

/** Request headers as the JSON object of `request.headers` (lower-case names). */
export function headersJson(req: IncomingMessage): string {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return JSON.stringify(headers);
}

/** Cookies as the JSON object of `request.cookies`. */
export function cookiesJson(req: IncomingMessage): string {
  const header = headerValue(req, "cookie");
  if (header === undefined) return "{}";
  const out: Record<string, string> = {};
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return JSON.stringify(out);
}

/** Path segments after /rest/v1, decoded; a malformed escape is PGRST125. */
export function pathSegments(path: string): string[] {
  try {
    return path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new RestError(404, "PGRST125", "Invalid path specified in request URL");
  }
}

/** The JSON body, or PGRST102 "Empty or invalid json". */
export function parseJsonBody(buf: Buffer): unknown {
  const text = buf.toString("utf8");
  if (text.trim() === "") throw invalidBody("Empty or invalid json");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidBody("Empty or invalid json");
  }
}

/** `Range: 0-9` (items), used when the query string has no limit/offset. */
export function rangeHeader(req: IncomingMessage): { offset: number; limit?: number } | undefined {
  const m = /^(?:items=)?(\d+)-(\d*)$/.exec((headerValue(req, "range") ?? "").trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : undefined;
  if (!Number.isSafeInteger(from) || (to !== undefined && !Number.isSafeInteger(to)))
    return undefined;
  if (to === undefined) return { offset: from };
  if (to < from) {
    throw new RestError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      "The lower boundary must be lower than or equal to the upper boundary in the Range header.",
    );
  }
  return { offset: from, limit: to - from + 1 };
}
