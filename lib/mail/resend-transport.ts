import type { MailMessage, MailTransport } from "./types";

/**
 * Production mail through Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email).
 * Chosen by `MAIL_TRANSPORT=resend` with `RESEND_API_KEY` and a verified `MAIL_FROM` domain.
 */
export function createResendTransport(options: {
  apiKey: string;
  from: string;
  fetch?: typeof fetch;
  baseUrl?: string;
}): MailTransport {
  const doFetch = options.fetch ?? fetch;
  const endpoint = new URL("/emails", options.baseUrl ?? "https://api.resend.com").toString();
  return {
    name: "resend",
    async send(message: MailMessage) {
      const response = await doFetch(endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          "content-type": "application/json",
          ...(message.idempotencyKey ? { "idempotency-key": message.idempotencyKey } : {}),
        },
        body: JSON.stringify({
          from: options.from,
          to: [message.to],
          subject: message.subject,
          html: message.html,
          text: message.text,
          ...(message.headers ? { headers: message.headers } : {}),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`resend answered ${response.status}`);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      return { id: typeof body.id === "string" ? body.id : "unknown" };
    },
  };
}
