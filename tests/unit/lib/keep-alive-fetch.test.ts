import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch } from "@/lib/http/keep-alive-fetch";

/** The intake's admin and Inngest clients speak HTTP through this; it must behave like fetch. */

let server: Server;
let base: string;
let connections = 0;
const seen: Array<{
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: string;
}> = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    if (req.url === "/empty") {
      res.writeHead(204).end();
    } else if (req.url === "/slow") {
      setTimeout(() => res.writeHead(200).end("late"), 2_000);
    } else {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(req.url === "/missing" ? 404 : 201, {
        "content-type": "application/json",
      });
      res.end(JSON.stringify({ echo: Buffer.concat(chunks).toString("utf8") }));
    }
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("keepAliveFetch", () => {
  it("sends method, headers and body, and answers a standard Response", async () => {
    const res = await keepAliveFetch(`${base}/rpc/x?select=*`, {
      method: "POST",
      headers: new Headers({ "Content-Type": "application/json", Authorization: "Bearer t" }),
      body: '{"a":"é"}',
    });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.json()).toEqual({ echo: '{"a":"é"}' });
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: "POST", url: "/rpc/x?select=*", body: '{"a":"é"}' });
    expect(last?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer t",
      "content-length": String(Buffer.byteLength('{"a":"é"}')),
    });
  });

  it("keeps the connection for the next request", async () => {
    await (await keepAliveFetch(`${base}/one`)).text();
    const before = connections;
    for (let i = 0; i < 5; i++) {
      await (await keepAliveFetch(`${base}/again`, { headers: { "x-i": String(i) } })).text();
    }
    expect(connections).toBe(before);
  });

  it("answers error statuses and bodiless ones like fetch", async () => {
    const missing = await keepAliveFetch(`${base}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.ok).toBe(false);
    const empty = await keepAliveFetch(`${base}/empty`, { method: "DELETE" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("rejects with the signal's reason when aborted, and with a TypeError when nobody listens", async () => {
    const controller = new AbortController();
    const pending = keepAliveFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("gave up")), 50);
    await expect(pending).rejects.toThrow("gave up");
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(keepAliveFetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(TypeError);
  });
});
