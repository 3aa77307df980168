import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { devstackEnv } from "../../helpers/devstack-env";

/** `${SANDBOX_URL}${path}`, from the running devstack's env file. */
export const sandbox = (path: string) => `${devstackEnv().SANDBOX_URL}${path}`;
export const env = () => devstackEnv();

export async function control<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(sandbox(`/_control${path}`), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  answeredWith: number;
}

/**
 * A real HTTP endpoint standing in for the app's webhook route: records every request's raw bytes
 * and headers and answers with the next status of `statuses` (the last one repeats).
 */
export async function startReceiver(statuses: number[] = [200]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
      received.push({ headers: req.headers, raw: Buffer.concat(chunks), answeredWith: status });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status < 300 ? "ok" : "boom");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Waits until `n` requests arrived. */
    async waitFor(n: number, timeoutMs = 15_000): Promise<Received[]> {
      const start = Date.now();
      while (received.length < n) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`only ${received.length} of ${n} webhook requests arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Submits a form like a browser (urlencoded), without following the redirect. */
export function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** The hidden inputs of the first form on a page, as a browser would submit them. */
export function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1]!] = m[2]!
      .replaceAll("&amp;", "&")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
  }
  return out;
}
