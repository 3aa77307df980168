import { randomBytes } from "node:crypto";
import { z } from "zod";
import { bearerToken, bodyObject, json, ProviderError, type SandboxRequest } from "../http";
import type { Router } from "../router";
import { type Fault, FaultQueue, faultSchema } from "./faults";
import { answerFix, answerRevise, registerFixScript } from "./fix-rules";
import type { LlmKeys } from "./keys";
import { answerRca, registerRcaScript } from "./rca-rules";
import { answerExtraction, answerRerank, tokens } from "./rules";

type Provider = "anthropic" | "openai";

/** One request as the stand-in saw it, for tests that check what left the app (redaction). */
interface SeenRequest {
  provider: Provider;
  model: string;
  system: string;
  user: string;
  at: string;
}
const SEEN_LIMIT = 50;

const anthropicBody = z.object({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  system: z
    .union([z.string(), z.array(z.object({ type: z.literal("text"), text: z.string() }))])
    .optional(),
  messages: z
    .array(
      z.object({
        role: z.enum(["user", "assistant"]),
        content: z.union([
          z.string(),
          z.array(z.object({ type: z.string(), text: z.string().optional() })),
        ]),
      }),
    )
    .min(1),
});

const openaiBody = z.object({
  model: z.string().min(1),
  messages: z
    .array(
      z.object({
        role: z.enum(["system", "developer", "user", "assistant"]),
        content: z.union([
          z.string(),
          z.array(z.object({ type: z.string(), text: z.string().optional() })),
        ]),
      }),
    )
    .min(1),
});

const textOf = (content: string | Array<{ text?: string }> | undefined) =>
  typeof content === "string" ? content : (content ?? []).map((c) => c.text ?? "").join("");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

/** The deterministic answer text for a prompt (the `TASK:` line of the system prompt decides). */
function answerFor(system: string, user: string): string {
  if (/^TASK: rerank/m.test(system)) return JSON.stringify(answerRerank(user));
  if (/^TASK: fix/m.test(system)) return answerFix(user);
  if (/^TASK: revise/m.test(system)) return answerRevise(user);
  if (/^TASK: rca/m.test(system)) return answerRca(user);
  return JSON.stringify(answerExtraction(user));
}

// ─── Anthropic Messages API ───────────────────────────────────────────────────────────────────

const anthropicError = (status: number, type: string, message: string) =>
  new ProviderError(status, { type: "error", error: { type, message } });

function anthropicFault(fault: Fault): ProviderError | undefined {
  if (fault.mode === "rate-limit")
    return anthropicError(
      429,
      "rate_limit_error",
      "Number of requests has exceeded your rate limit",
    );
  if (fault.mode === "server-error")
    return anthropicError(500, "api_error", "Internal server error");
  if (fault.mode === "overloaded") return anthropicError(529, "overloaded_error", "Overloaded");
  return undefined;
}

// ─── OpenAI Chat Completions API ──────────────────────────────────────────────────────────────

const openaiError = (status: number, type: string, code: string | null, message: string) =>
  new ProviderError(status, { error: { message, type, param: null, code } });

function openaiFault(fault: Fault): ProviderError | undefined {
  if (fault.mode === "rate-limit")
    return openaiError(429, "requests", "rate_limit_exceeded", "Rate limit reached for requests");
  if (fault.mode === "server-error")
    return openaiError(
      500,
      "server_error",
      null,
      "The server had an error while processing your request.",
    );
  if (fault.mode === "overloaded")
    return openaiError(503, "server_error", null, "The engine is currently overloaded.");
  return undefined;
}

/**
 * Stand-ins for Anthropic's `POST /v1/messages` (`x-api-key`, `anthropic-version`) and OpenAI's
 * `POST /v1/chat/completions` (Bearer key), with their success, usage and error shapes, answering
 * deterministically (rules.ts). `/_control/llm/*` scripts failures and shows what was received.
 */
export function registerLlm(router: Router, keys: LlmKeys): void {
  registerFixScript(router);
  registerRcaScript(router);
  const faults = new FaultQueue();
  const seen: SeenRequest[] = [];
  const remember = (r: Omit<SeenRequest, "at">) => {
    seen.push({ ...r, at: new Date().toISOString() });
    if (seen.length > SEEN_LIMIT) seen.shift();
  };
  // Rate-limit answers carry retry-after-ms so the SDKs' retries are quick in tests.
  const retryHeaders = { "retry-after-ms": "50", "retry-after": "0" };

  router.add("POST", "/llm/anthropic/v1/messages", async (req: SandboxRequest) => {
    // The API takes `x-api-key`; SDK 1.x sends the key as `Authorization: Bearer`, which it accepts too.
    const key = req.headers["x-api-key"] ?? bearerToken(req);
    if (key !== keys.ANTHROPIC_API_KEY) {
      throw anthropicError(401, "authentication_error", "invalid x-api-key");
    }
    if (!req.headers["anthropic-version"]) {
      throw anthropicError(400, "invalid_request_error", "anthropic-version: header is required");
    }
    const parsed = anthropicBody.safeParse(bodyObject(req));
    if (!parsed.success) {
      throw anthropicError(
        400,
        "invalid_request_error",
        parsed.error.issues[0]?.message ?? "invalid request",
      );
    }
    const body = parsed.data;
    const system = typeof body.system === "string" ? body.system : textOf(body.system);
    const user = body.messages.map((m) => textOf(m.content)).join("\n");
    remember({ provider: "anthropic", model: body.model, system, user });
    const fault = faults.take("anthropic");
    if (fault) {
      const err = anthropicFault(fault);
      if (err)
        return {
          status: err.status,
          json: err.payload,
          headers: err.status === 429 ? retryHeaders : {},
        };
      if (fault.mode === "slow") await sleep(fault.delayMs);
    }
    const refused = fault?.mode === "refusal";
    const text = refused
      ? ""
      : fault?.mode === "malformed"
        ? 'Sure! Here is the JSON: {"title": "Broken'
        : answerFor(system, user);
    return json(
      200,
      {
        id: id("msg_sbx_"),
        type: "message",
        role: "assistant",
        model: body.model,
        content: text ? [{ type: "text", text }] : [],
        stop_reason: refused ? "refusal" : "end_turn",
        stop_sequence: null,
        usage: { input_tokens: tokens(system + user), output_tokens: text ? tokens(text) : 0 },
      },
      { "request-id": id("req_sbx_") },
    );
  });

  router.add("POST", "/llm/openai/v1/chat/completions", async (req: SandboxRequest) => {
    if (bearerToken(req) !== keys.OPENAI_API_KEY) {
      throw openaiError(
        401,
        "invalid_request_error",
        "invalid_api_key",
        "Incorrect API key provided.",
      );
    }
    const parsed = openaiBody.safeParse(bodyObject(req));
    if (!parsed.success) {
      throw openaiError(
        400,
        "invalid_request_error",
        null,
        parsed.error.issues[0]?.message ?? "invalid request",
      );
    }
    const body = parsed.data;
    const system = body.messages
      .filter((m) => m.role === "system" || m.role === "developer")
      .map((m) => textOf(m.content))
      .join("\n");
    const user = body.messages
      .filter((m) => m.role === "user")
      .map((m) => textOf(m.content))
      .join("\n");
    remember({ provider: "openai", model: body.model, system, user });
    const fault = faults.take("openai");
    if (fault) {
      const err = openaiFault(fault);
      if (err)
        return {
          status: err.status,
          json: err.payload,
          headers: err.status === 429 ? retryHeaders : {},
        };
      if (fault.mode === "slow") await sleep(fault.delayMs);
    }
    const refused = fault?.mode === "refusal";
    const text =
      fault?.mode === "malformed" ? "I think the bug is in the cart {" : answerFor(system, user);
    return json(
      200,
      {
        id: id("chatcmpl-sbx"),
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: refused
              ? { role: "assistant", content: null, refusal: "I can't help with that." }
              : { role: "assistant", content: text, refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: tokens(system + user),
          completion_tokens: refused ? 0 : tokens(text),
          total_tokens: tokens(system + user) + (refused ? 0 : tokens(text)),
        },
      },
      { "x-request-id": id("req_sbx_") },
    );
  });

  const bad = (m: string) => new ProviderError(422, { error: m });
  router.add("POST", "/_control/llm/faults", (req) => {
    const parsed = faultSchema.safeParse(bodyObject(req));
    if (!parsed.success) throw bad(parsed.error.issues[0]?.message ?? "invalid fault");
    return json(201, { fault: faults.add(parsed.data) });
  });
  router.add("GET", "/_control/llm/faults", () => json(200, { faults: faults.list() }));
  router.add("DELETE", "/_control/llm/faults", () => {
    faults.clear();
    return json(200, { faults: [] });
  });
  // Prompts in clear, in memory only (last 50): tests check that what left the app was redacted.
  router.add("GET", "/_control/llm/requests", (req) => {
    const provider = req.url.searchParams.get("provider");
    return json(200, { requests: seen.filter((r) => !provider || r.provider === provider) });
  });
  router.add("DELETE", "/_control/llm/requests", () => {
    seen.length = 0;
    return json(200, { requests: [] });
  });
}
