import type { MailMessage } from "../types";
import { escapeHtml } from "./escape";

export interface NotificationMailInput {
  to: string;
  workspaceName: string;
  title: string;
  body: string;
  /** Absolute link to the page the notification is about. */
  url: string;
  /** What the event is called on the settings page ("Critical bug"). */
  eventLabel: string;
  /** Absolute one-click unsubscribe link; null for locked events (they cannot be turned off). */
  unsubscribeUrl: string | null;
  /** Absolute link to Settings → Notifications. */
  settingsUrl: string;
}

/**
 * One notification email. With an unsubscribe link it carries RFC 8058's headers, so a mail
 * client's "unsubscribe" button POSTs `List-Unsubscribe=One-Click` to the link and that event's
 * email stops for this person in this workspace.
 */
export function renderNotificationMail(input: NotificationMailInput): MailMessage {
  const subject = `[${input.workspaceName}] ${input.title}`;
  const footer = input.unsubscribeUrl
    ? `You get this because "${input.eventLabel}" email is on for you in ${input.workspaceName}. Stop these emails: ${input.unsubscribeUrl}`
    : `"${input.eventLabel}" email cannot be turned off: it needs someone to act.`;
  const text = [
    input.title,
    "",
    input.body,
    "",
    `Open it: ${input.url}`,
    "",
    footer,
    `All notification settings: ${input.settingsUrl}`,
  ].join("\n");
  const unsubscribeHtml = input.unsubscribeUrl
    ? `You get this because &ldquo;${escapeHtml(input.eventLabel)}&rdquo; email is on for you in ${escapeHtml(input.workspaceName)}. <a href="${escapeHtml(input.unsubscribeUrl)}">Stop these emails</a>.`
    : `&ldquo;${escapeHtml(input.eventLabel)}&rdquo; email cannot be turned off: it needs someone to act.`;
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
<p style="font-size:18px;font-weight:600">${escapeHtml(input.title)}</p>
<p>${escapeHtml(input.body)}</p>
<p><a href="${escapeHtml(input.url)}" style="display:inline-block;padding:10px 16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">Open in Patchline</a></p>
<p style="color:#555;font-size:13px">${unsubscribeHtml} <a href="${escapeHtml(input.settingsUrl)}">Notification settings</a>.</p>
</body></html>`;
  return {
    to: input.to,
    subject,
    html,
    text,
    ...(input.unsubscribeUrl
      ? {
          headers: {
            "List-Unsubscribe": `<${input.unsubscribeUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          },
        }
      : {}),
  };
}
