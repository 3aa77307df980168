import { createServer, type Server } from "node:http";
import { z } from "zod";
import { BodyTooLargeError, readBody, sendHtml, sendJson } from "../shared/http";
import { listPage, messagePage } from "./pages";
import type { MailStore } from "./store";

const sendSchema = z.object({
  to: z.string().email(),
  subject: z.string().min(1).max(998),
  html: z.string().max(500_000).optional(),
  text: z.string().max(500_000).optional(),
  from: z.string().max(320).optional(),
  source: z.string().max(40).optional(),
  headers: z.record(z.string().max(100), z.string().max(2000)).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});

/**
 * The mailbox's HTTP face, like Mailpit: `GET /` and `/messages/:id` for people;
 * `GET|DELETE /api/v1/messages[?to=]`, `GET /api/v1/messages/:id` for tests; `POST /api/v1/send`
 * is the app's local mail transport.
 */
export function createMailboxServer(store: MailStore): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mailbox");
    const p = url.pathname;
    const to = url.searchParams.get("to") ?? undefined;
    try {
      if (req.method === "GET" && p === "/") {
        sendHtml(res, 200, listPage(await store.list({ limit: 200 })));
        return;
      }
      const page = /^\/messages\/([0-9a-f-]{36})$/.exec(p);
      if (req.method === "GET" && page?.[1]) {
        const m = await store.get(page[1]);
        if (m) sendHtml(res, 200, messagePage(m));
        else sendHtml(res, 404, "<p>No such message.</p>");
        return;
      }
      if (p === "/api/v1/messages" && req.method === "GET") {
        const limit = Number(url.searchParams.get("limit") ?? 50);
        const messages = await store.list({ to, limit: Number.isFinite(limit) ? limit : 50 });
        sendJson(res, 200, { total: messages.length, messages });
        return;
      }
      if (p === "/api/v1/messages" && req.method === "DELETE") {
        sendJson(res, 200, { deleted: await store.clear(to) });
        return;
      }
      const api = /^\/api\/v1\/messages\/([0-9a-f-]{36})$/.exec(p);
      if (api?.[1] && req.method === "GET") {
        const m = await store.get(api[1]);
        if (m) sendJson(res, 200, m);
        else sendJson(res, 404, { error: "message not found" });
        return;
      }
      if (p === "/api/v1/send" && req.method === "POST") {
        let json: unknown;
        try {
          json = JSON.parse((await readBody(req, 1_000_000)).toString("utf8"));
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw err;
          sendJson(res, 400, { error: "body is not valid JSON" });
          return;
        }
        const parsed = sendSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          sendJson(res, 422, { error: `${issue?.path.join(".") || "body"}: ${issue?.message}` });
          return;
        }
        if (!parsed.data.html && !parsed.data.text) {
          sendJson(res, 422, { error: "html or text is required" });
          return;
        }
        sendJson(res, 201, await store.send(parsed.data));
        return;
      }
      sendJson(res, 404, { error: "not found" });
    } catch (err) {
      if (err instanceof BodyTooLargeError) sendJson(res, 413, { error: err.message });
      else sendJson(res, 500, { error: "mailbox failure" });
    }
  });
}
