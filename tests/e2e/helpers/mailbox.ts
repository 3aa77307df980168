import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Reads mail captured by the devstack mailbox (JSON API). MAILBOX_URL comes from the devstack
 * env file at `${DEVSTACK_HOME ?? ".devstack"}/env`, or from the environment.
 */

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  source?: string;
  createdAt: string;
}

let cachedUrl: string | undefined;

export function mailboxUrl(): string {
  if (cachedUrl) return cachedUrl;
  if (process.env.MAILBOX_URL) {
    cachedUrl = process.env.MAILBOX_URL;
    return cachedUrl;
  }
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`No devstack env at ${file}: start the devstack (npm run devstack) first.`);
  }
  const match = /^MAILBOX_URL="?([^"\n]+)"?$/m.exec(text);
  if (!match?.[1]) throw new Error(`${file} has no MAILBOX_URL`);
  cachedUrl = match[1];
  return cachedUrl;
}

async function listMail(to: string): Promise<Mail[]> {
  const res = await fetch(`${mailboxUrl()}/api/v1/messages?to=${encodeURIComponent(to)}`);
  if (!res.ok) throw new Error(`mailbox answered ${res.status}`);
  const body = (await res.json()) as { messages: Mail[] };
  return body.messages;
}

/**
 * Waits for a mail to `to` whose subject matches, newer than `since` (ms epoch). Polls for up
 * to `timeoutMs`; fails with what did arrive, so a wrong subject is easy to see.
 */
export async function waitForMail(
  to: string,
  options: { subject?: RegExp; since?: number; timeoutMs?: number } = {},
): Promise<Mail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let seen: Mail[] = [];
  while (Date.now() < deadline) {
    seen = await listMail(to);
    const hit = seen
      .filter((m) => !options.subject || options.subject.test(m.subject))
      .filter((m) => !options.since || new Date(m.createdAt).getTime() >= options.since - 1000)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `No mail to ${to} matching ${options.subject ?? "anything"}; got: ${seen.map((m) => m.subject).join(", ") || "nothing"}`,
  );
}

/** The first link in a mail whose URL matches `pattern` (text part first, then HTML). */
export function linkIn(mail: Mail, pattern: RegExp): string {
  const body = `${mail.text ?? ""}\n${(mail.html ?? "").replace(/&#38;|&amp;/g, "&")}`;
  for (const m of body.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
    if (pattern.test(m[0])) return m[0];
  }
  throw new Error(`No link matching ${pattern} in mail "${mail.subject}"`);
}
