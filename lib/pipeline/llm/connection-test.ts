import type { LlmClient } from "./types";

/**
 * "Test connection" on the Settings page: one small call to the provider with the saved key, no
 * ticket text in it. The answer is not parsed (any 200 proves the key, the model and the route);
 * the result says what went wrong in words a person can act on, from the HTTP status only (an
 * SDK's message can quote the provider's answer, so it is never shown or logged).
 */

export type ConnectionTestResult =
  | { ok: true; model: string; latencyMs: number }
  | { ok: false; problem: string; status: number | null };

const PING = {
  system: 'TASK: ping\nAnswer with the JSON object {"ok": true} and nothing else.',
  user: "ping",
  maxTokens: 16,
};

export async function testLlmConnection(client: LlmClient): Promise<ConnectionTestResult> {
  const started = performance.now();
  try {
    const completion = await client.complete(PING);
    return {
      ok: true,
      model: completion.model,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    const code = typeof status === "number" ? status : null;
    return { ok: false, problem: problemFor(code), status: code };
  }
}

function problemFor(status: number | null): string {
  if (status === null) return "The provider could not be reached (network error or timeout).";
  if (status === 401 || status === 403) return "The provider refused the API key.";
  if (status === 404) return "The provider does not know this model.";
  if (status === 400) return "The provider rejected the request; check the model name.";
  if (status === 429) return "The provider is rate-limiting this key; try again in a minute.";
  return `The provider answered with an error (HTTP ${status}); try again later.`;
}
