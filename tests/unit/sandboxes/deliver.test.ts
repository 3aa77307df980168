import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Deliverer, MAX_ATTEMPTS } from "@/devstack/sandboxes/deliver";
import { SandboxStore } from "@/devstack/sandboxes/store";

const home = mkdtempSync(path.join(tmpdir(), "sbx-unit-"));
const store = new SandboxStore(home, { reset: true });
afterAll(() => {
  // Write (and cancel) the pending save before the folder goes, or the timer writes into nothing.
  store.flush();
  rmSync(home, { recursive: true, force: true });
});

async function endpoint(statuses: number[]) {
  const times: number[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      times.push(performance.now());
      bodies.push(`${req.headers["x-sig"]}|${body}`);
      res.writeHead(statuses[Math.min(times.length - 1, statuses.length - 1)] ?? 200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    times,
    bodies,
    close: () => server.close(),
  };
}

const waitUntil = async (check: () => boolean, ms = 5000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("sandbox webhook deliveries", () => {
  it("retries a non-2xx answer with doubling delays, same bytes and headers, and gives up after five attempts", async () => {
    const ep = await endpoint([500]);
    const deliverer = new Deliverer(store, 40, () => {});
    const d = deliverer.enqueue({
      provider: "razorpay",
      event: "payment.captured",
      url: ep.url,
      body: '{"a":1}',
      headers: { "x-sig": "abc" },
    });
    await waitUntil(() => d.state === "failed");
    expect(d.attempts.map((a) => a.status)).toEqual(Array(MAX_ATTEMPTS).fill(500));
    expect(new Set(ep.bodies)).toEqual(new Set(['abc|{"a":1}']));
    const gaps = ep.times.slice(1).map((t, i) => t - ep.times[i]!);
    // Lower bounds only: a loaded machine makes gaps longer, never shorter (40, 80, 160, 320 ms).
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(40 * 2 ** i - 5);
    });
    ep.close();
    deliverer.stop();
  });

  it("stops at the first 2xx, and records an unreachable endpoint as an error", async () => {
    const ep = await endpoint([503, 204]);
    const deliverer = new Deliverer(store, 10, () => {});
    const ok = deliverer.enqueue({
      provider: "github",
      event: "push",
      url: ep.url,
      body: "{}",
      headers: {},
    });
    const down = deliverer.enqueue({
      provider: "github",
      event: "push",
      url: "http://127.0.0.1:1/",
      body: "{}",
      headers: {},
    });
    await waitUntil(() => ok.state === "delivered" && down.attempts.length >= 2);
    expect(ok.attempts.map((a) => a.status)).toEqual([503, 204]);
    expect(down.attempts[0]!.status).toBeUndefined();
    expect(down.attempts[0]!.error).toBeTruthy();
    deliverer.stop();
    ep.close();
  });
});
