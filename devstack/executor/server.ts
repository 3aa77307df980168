import type { IncomingMessage, ServerResponse } from "node:http";
import { rollback, withTransaction } from "../shared/transaction";
import { getEvent, getRun, listApps, listEvents, listFunctions, listRuns } from "./api";
import { EventValidationError, normaliseEvents, storeEvents } from "./events";
import { HttpError, readJson, sendHtml, sendJson } from "./http";
import { cancelRun } from "./runs";
import { parseRegisterBody, registerApp, syncAppUrl } from "./sync";
import type { ExecCtx } from "./types";
import { renderHome, renderRun } from "./ui";

/**
 * The executor's HTTP surface:
 * - `POST /e/:key` the event API (what `inngest.send()` and `step.sendEvent` call);
 * - `POST /fn/register` the SDK's out-of-band registration;
 * - `POST /v1/runs/:id/cancel` cancel a run that has not ended;
 * - `POST /v0/sync` re-sync apps (body `{ "url": "…" }` for one app, or none for all known);
 * - `GET /v1/events`, `/v1/events/:id`, `/v1/runs`, `/v1/runs/:id`, `/v1/functions`, `/v1/apps`;
 * - `GET /` and `/runs/:id`, the pages; `GET /health`.
 */
export function createHandler(ctx: ExecCtx, syncAll: () => Promise<SyncReport[]>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://executor");
    const p = url.pathname;
    const method = req.method ?? "GET";
    try {
      if (method === "POST" && p.startsWith("/e/")) {
        const events = normaliseEvents(await readJson(req));
        await storeEvents(ctx.pool, events);
        ctx.wakeEvents();
        return sendJson(res, 200, { ids: events.map((e) => e.id), status: 200 });
      }
      if (method === "POST" && p === "/fn/register") {
        const reg = parseRegisterBody(await readJson(req));
        const { modified } = await registerApp(ctx, reg);
        return sendJson(res, 200, { status: 200, ok: true, modified, skipped: false });
      }
      if (method === "POST" && p === "/v0/sync") {
        const body = (await readJson(req)) as { url?: unknown } | undefined;
        if (body && typeof body.url === "string") {
          try {
            const r = await syncAppUrl(ctx, body.url);
            return sendJson(res, 200, { synced: [{ url: body.url, ok: true, ...r }] });
          } catch (err) {
            return sendJson(res, 502, {
              synced: [{ url: body.url, ok: false, error: (err as Error).message }],
            });
          }
        }
        // Per-app results: one app being down must not hide that the others synced.
        return sendJson(res, 200, { synced: await syncAll() });
      }
      const cancel = /^\/v1\/runs\/([^/]+)\/cancel$/.exec(p);
      if (method === "POST" && cancel?.[1]) {
        const cancelled = await cancelRunById(ctx, decodeURIComponent(cancel[1]));
        if (cancelled === undefined) throw new HttpError(404, "run not found");
        return sendJson(res, 200, { cancelled });
      }
      if (method !== "GET") throw new HttpError(405, "method not allowed");
      if (p === "/health") return sendJson(res, 200, { ok: true });
      if (p === "/v1/events") {
        return sendJson(res, 200, {
          data: await listEvents(ctx.pool, {
            name: url.searchParams.get("name") ?? undefined,
            limit: Number(url.searchParams.get("limit") ?? 100),
          }),
        });
      }
      if (p.startsWith("/v1/events/")) {
        const ev = await getEvent(ctx.pool, decodeURIComponent(p.slice("/v1/events/".length)));
        if (!ev) throw new HttpError(404, "event not found");
        return sendJson(res, 200, { data: ev });
      }
      if (p === "/v1/runs") {
        return sendJson(res, 200, {
          data: await listRuns(ctx.pool, {
            status: url.searchParams.get("status") ?? undefined,
            functionId: url.searchParams.get("function_id") ?? undefined,
            eventId: url.searchParams.get("event_id") ?? undefined,
            limit: Number(url.searchParams.get("limit") ?? 100),
          }),
        });
      }
      if (p.startsWith("/v1/runs/")) {
        const run = await getRun(ctx.pool, decodeURIComponent(p.slice("/v1/runs/".length)));
        if (!run) throw new HttpError(404, "run not found");
        return sendJson(res, 200, { data: run });
      }
      if (p === "/v1/functions") return sendJson(res, 200, { data: await listFunctions(ctx.pool) });
      if (p === "/v1/apps") return sendJson(res, 200, { data: await listApps(ctx.pool) });
      if (p === "/") return sendHtml(res, 200, await renderHome(ctx.pool));
      if (p.startsWith("/runs/")) {
        const html = await renderRun(ctx.pool, decodeURIComponent(p.slice("/runs/".length)));
        if (!html) throw new HttpError(404, "run not found");
        return sendHtml(res, 200, html);
      }
      throw new HttpError(404, "not found");
    } catch (err) {
      if (err instanceof HttpError)
        return sendJson(res, err.status, { error: err.message, status: err.status });
      if (err instanceof EventValidationError) {
        return sendJson(res, 400, { error: err.message, status: 400 });
      }
      ctx.log(`executor: ${method} ${p} failed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error", status: 500 });
    }
  };
}

export interface SyncReport {
  url: string;
  ok: boolean;
  modified?: boolean;
  error?: string;
}

/** Cancels a run by id: true if it was active, false if it had already ended, undefined if unknown. */
async function cancelRunById(ctx: ExecCtx, id: string): Promise<boolean | undefined> {
  return withTransaction(ctx.pool, async (client) => {
    const found = await client.query(
      "select 1 from devstack.executor_runs where id = $1 for update",
      [id],
    );
    if (found.rowCount === 0) return rollback(undefined);
    return cancelRun(client, id, "cancelled through the API");
  });
}
