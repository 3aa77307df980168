import type { MailMessage, MailTransport } from "./types";

/**
 * The devstack mailbox (`POST ${MAILBOX_URL}/api/v1/send`): every mail the app sends locally is
 * captured there, readable by people (the mailbox page) and tests (`/api/v1/messages`).
 */
export function createMailboxTransport(options: {
  mailboxUrl: string;
  from: string;
  fetch?: typeof fetch;
}): MailTransport {
  const doFetch = options.fetch ?? fetch;
  const endpoint = new URL("/api/v1/send", options.mailboxUrl).toString();
  return {
    name: "mailbox",
    async send(message: MailMessage) {
      const response = await doFetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...message, from: options.from, source: "app" }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`mailbox answered ${response.status}`);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      return { id: typeof body.id === "string" ? body.id : "unknown" };
    },
  };
}
