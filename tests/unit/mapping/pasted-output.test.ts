import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";
import { ownCodeTest } from "@/lib/pipeline/mapping/signals/own-code";
import { cleanBlock, isPastedOutput } from "@/lib/pipeline/mapping/signals/pasted-output";

/**
 * Report cleaning: long pasted output keeps its error lines, the frames of the project's own
 * code and quoted messages; the rest counts little. Reports and repositories are generated here.
 */

const file = (path: string, text: string): SourceFile => {
  const bytes = new TextEncoder().encode(text);
  return { path, size: bytes.length, read: () => bytes };
};

/** A framework's log: many lines of its own words around one error of ours. */
function frameworkLog(ownFrame: string): string {
  const lines = ["$ server --port 8080"];
  for (let i = 0; i < 30; i++)
    lines.push(
      `2024-01-0${(i % 9) + 1} 10:00:${String(i).padStart(2, "0")} INFO scheduler worker pool heartbeat queue lease renewed shard=${i}`,
    );
  lines.push('2024-01-02 10:00:31 ERROR request failed: "quota exceeded for tenant"');
  lines.push(`    at ${ownFrame}`);
  for (let i = 0; i < 20; i++)
    lines.push(`    at org.framework.scheduler.WorkerPool.heartbeat(WorkerPool.java:${100 + i})`);
  return lines.join("\n");
}

describe("pasted output", () => {
  it("tells a log from a code snippet the reporter wrote", () => {
    expect(isPastedOutput(frameworkLog("x"))).toBe(true);
    const snippet = Array.from({ length: 12 }, (_, i) => `const value${i} = compute(${i});`).join(
      "\n",
    );
    expect(isPastedOutput(snippet)).toBe(false);
    expect(isPastedOutput("ERROR one\nERROR two")).toBe(false); // short: read as written
  });

  it("keeps error lines, own-code frames, quotes and the first line; the rest is residue", () => {
    const own = (line: string) => line.includes("QuotaLimiter.java");
    const { kept, residue } = cleanBlock(
      frameworkLog("com.acme.billing.QuotaLimiter.check(QuotaLimiter.java:42)"),
      own,
    );
    expect(kept.split("\n")).toEqual([
      "$ server --port 8080",
      '2024-01-02 10:00:31 ERROR request failed: "quota exceeded for tenant"',
      "    at com.acme.billing.QuotaLimiter.check(QuotaLimiter.java:42)",
    ]);
    expect(residue).toContain("heartbeat");
    expect(residue).toContain("WorkerPool.java:100");
  });

  it("weighs the reporter's sentences above the words of a long log", () => {
    const report = {
      title: "Tenant quota is exceeded too early",
      description: `Invoices are refused although the tenant is under its limit.\n\n\`\`\`\n${frameworkLog("com.acme.billing.QuotaLimiter.check(QuotaLimiter.java:42)")}\n\`\`\``,
    };
    const cleaned = extractSignals(report, { ownCode: (l) => l.includes("QuotaLimiter") });
    const raw = extractSignals(report, { cleanOutput: false });
    // The log's filler words count far less once cleaned; the reporter's words are untouched.
    expect(cleaned.terms.get("heartbeat") ?? 0).toBeLessThan((raw.terms.get("heartbeat") ?? 0) / 2);
    expect(cleaned.terms.get("heartbeat") ?? 0).toBeLessThan(cleaned.terms.get("invoic") ?? 0);
    expect(cleaned.terms.get("invoic")).toBe(raw.terms.get("invoic"));
    // Frames of the framework are no longer symbols; the error's quoted message still is matched.
    expect(cleaned.symbols.some((s) => s.name === "heartbeat")).toBe(false);
    expect(raw.symbols.some((s) => s.name === "heartbeat")).toBe(true);
    expect(cleaned.messages.some((m) => m.raw.includes("quota exceeded"))).toBe(true);
  });

  it("maps to the reported code, not to the file the log's filler words describe", async () => {
    const index = await buildIndex(
      [
        file(
          "billing/quota_limiter.py",
          'def check_quota(tenant, invoices):\n    """Refuse invoices over the tenant limit."""\n    if len(invoices) > tenant.limit:\n        raise QuotaError("quota exceeded for tenant")\n    return True\n',
        ),
        file(
          "runtime/worker_pool.py",
          'class WorkerPool:\n    """Scheduler worker pool: heartbeat, queue lease, shard."""\n    def heartbeat(self, shard):\n        self.queue.lease(shard)\n        log.info("scheduler worker pool heartbeat queue lease renewed")\n\n    def renew_lease(self, queue, shard):\n        return queue.renew(shard)\n',
        ),
      ],
      { repo: "acme/app" },
    );
    const search = new SearchIndex([index]);
    const lines = ["Running the invoice job:", "```"];
    for (let i = 0; i < 40; i++)
      lines.push(
        `[10:00:${String(i % 60).padStart(2, "0")}] INFO gunicorn scheduler worker pool heartbeat queue lease renewed shard=${i}`,
      );
    lines.push('[10:01:00] ERROR quota_limiter.py:4 "quota exceeded for tenant"');
    lines.push("```");
    const report = { title: "Invoices refused under the limit", description: lines.join("\n") };
    const cleaned = mapBug(search, report);
    expect(cleaned.files[0]?.path).toBe("billing/quota_limiter.py");
    // Read whole, the log's filler words win.
    const raw = mapBug(search, report, { rules: { cleanOutput: false } });
    expect(raw.files[0]?.path).toBe("runtime/worker_pool.py");
    // Own-code lines are recognised by the index: a path ending like an indexed file.
    const own = ownCodeTest(search);
    expect(own('  File "/srv/app/billing/quota_limiter.py", line 4')).toBe(true);
    expect(own('  File "/usr/lib/python3.12/json/decoder.py", line 4')).toBe(false);
  });
});
