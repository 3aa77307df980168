import type pg from "pg";
import { getRun, listEvents, listFunctions, listRuns } from "./api";
import { escapeHtml as esc } from "./http";

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5rem;color:#111}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f4f4f5}code,pre{font:12px ui-monospace,monospace}pre{white-space:pre-wrap;max-width:60rem;margin:0}
.completed{color:#166534}.failed{color:#b91c1c}.running,.queued{color:#1d4ed8}.cancelled,.skipped{color:#6b7280}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${STYLE}</style></head><body>${body}</body></html>`;
}

function json(v: unknown): string {
  return `<pre>${esc(JSON.stringify(v, null, 2) ?? "null")}</pre>`;
}

function time(d: unknown): string {
  return d instanceof Date ? esc(d.toISOString().replace("T", " ").slice(0, 23)) : "";
}

/** The overview page: functions, latest runs and latest events. */
export async function renderHome(pool: pg.Pool): Promise<string> {
  const [fns, runs, events] = await Promise.all([
    listFunctions(pool) as Promise<Array<{ id: string; app_url: string }>>,
    listRuns(pool, { limit: 100 }),
    listEvents(pool, { limit: 50 }) as Promise<
      Array<{ id: string; name: string; data: unknown; received_at: Date; runs: unknown[] }>
    >,
  ]);
  const fnRows = fns
    .map((f) => `<tr><td><code>${esc(f.id)}</code></td><td>${esc(f.app_url)}</td></tr>`)
    .join("");
  const runRows = runs
    .map(
      (r) =>
        `<tr><td><a href="/runs/${esc(r.id)}"><code>${esc(r.id)}</code></a></td><td>${esc(r.function_id)}</td>
<td class="${esc(r.status)}">${esc(r.status)}${r.reason ? ` (${esc(r.reason)})` : ""}</td>
<td>${time(r.created_at)}</td><td>${time(r.ended_at)}</td></tr>`,
    )
    .join("");
  const eventRows = events
    .map(
      (e) =>
        `<tr><td><code>${esc(e.id)}</code></td><td>${esc(e.name)}</td><td>${time(e.received_at)}</td>
<td>${e.runs.length}</td><td>${json(e.data)}</td></tr>`,
    )
    .join("");
  return page(
    "devstack executor",
    `<h1>devstack executor</h1>
<p>JSON: <a href="/v1/runs">/v1/runs</a> · <a href="/v1/events">/v1/events</a> · <a href="/v1/functions">/v1/functions</a> · re-sync apps: <code>POST /v0/sync</code></p>
<h2>Functions (${fns.length})</h2><table><tr><th>id</th><th>app</th></tr>${fnRows}</table>
<h2>Runs</h2><table><tr><th>run</th><th>function</th><th>status</th><th>created</th><th>ended</th></tr>${runRows}</table>
<h2>Events</h2><table><tr><th>id</th><th>name</th><th>received</th><th>runs</th><th>data</th></tr>${eventRows}</table>`,
  );
}

/** One run: status, output or error, steps and the timeline of attempts. */
export async function renderRun(pool: pg.Pool, id: string): Promise<string | undefined> {
  const run = (await getRun(pool, id)) as
    | {
        id: string;
        function_id: string;
        status: string;
        reason: string | null;
        output: unknown;
        error: unknown;
        event: unknown;
        steps: Array<{
          name: string | null;
          op: string;
          state: string;
          memo: unknown;
          attempts: number;
        }>;
        timeline: Array<{
          at: Date;
          kind: string;
          step_name: string | null;
          attempt: number | null;
          detail: unknown;
        }>;
      }
    | undefined;
  if (!run) return undefined;
  const steps = run.steps
    .map(
      (s) =>
        `<tr><td>${esc(s.name ?? "")}</td><td>${esc(s.op)}</td><td>${esc(s.state)}</td><td>${s.attempts}</td><td>${json(s.memo)}</td></tr>`,
    )
    .join("");
  const timeline = run.timeline
    .map(
      (h) =>
        `<tr><td>${time(h.at)}</td><td>${esc(h.kind)}</td><td>${esc(h.step_name ?? "")}</td><td>${h.attempt ?? ""}</td><td>${json(h.detail)}</td></tr>`,
    )
    .join("");
  return page(
    `run ${run.id}`,
    `<p><a href="/">← all runs</a></p><h1>${esc(run.function_id)}</h1>
<p>run <code>${esc(run.id)}</code>: <strong class="${esc(run.status)}">${esc(run.status)}</strong> ${esc(run.reason ?? "")}</p>
<h2>${run.error ? "Error" : "Output"}</h2>${json(run.error ?? run.output)}
<h2>Steps</h2><table><tr><th>step</th><th>op</th><th>state</th><th>attempts</th><th>memo</th></tr>${steps}</table>
<h2>Timeline</h2><table><tr><th>at</th><th>what</th><th>step</th><th>attempt</th><th>detail</th></tr>${timeline}</table>
<h2>Event</h2>${json(run.event)}`,
  );
}
