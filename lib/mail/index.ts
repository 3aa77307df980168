import "server-only";
import { serverEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createMailboxTransport } from "./mailbox-transport";
import { createResendTransport } from "./resend-transport";
import type { MailMessage, MailTransport } from "./types";

export type { MailMessage, MailTransport } from "./types";

const mailLog = log.child({ module: "mail" });

let transport: MailTransport | undefined;

/** The one mail transport, chosen by `MAIL_TRANSPORT` (mailbox locally, resend in production). */
export function getMailTransport(): MailTransport {
  if (transport) return transport;
  const env = serverEnv();
  if (env.MAIL_TRANSPORT === "resend") {
    if (!env.RESEND_API_KEY) throw new Error("RESEND_API_KEY is missing");
    transport = createResendTransport({ apiKey: env.RESEND_API_KEY, from: env.MAIL_FROM });
  } else {
    if (!env.MAILBOX_URL) throw new Error("MAILBOX_URL is missing");
    transport = createMailboxTransport({ mailboxUrl: env.MAILBOX_URL, from: env.MAIL_FROM });
  }
  return transport;
}

/** For tests: use this transport instead of the environment's. */
export function setMailTransportForTests(next: MailTransport | undefined): void {
  transport = next;
}

/**
 * Sends one email. Logs the subject and transport, never the address or the body (which may hold
 * a link with a token). Throws `AppError("unavailable")` when the transport fails.
 */
export async function sendMail(message: MailMessage & { kind: string }): Promise<{ id: string }> {
  const { kind, ...mail } = message;
  const t = getMailTransport();
  try {
    const result = await t.send(mail);
    mailLog.info({ kind, transport: t.name, messageId: result.id }, "mail sent");
    return result;
  } catch (error) {
    mailLog.error({ kind, transport: t.name, err: error }, "mail not sent");
    throw new AppError("unavailable", "The email could not be sent. Try again in a moment.", {
      cause: error,
    });
  }
}
