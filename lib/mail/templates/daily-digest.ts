import type { MailMessage } from "../types";
import { escapeHtml } from "./escape";

export interface DigestMailInput {
  to: string;
  workspaceName: string;
  /** The UTC day the digest is for (YYYY-MM-DD). */
  day: string;
  newBugs: number;
  /** The critical Mapped Bugs of the day: title and absolute link (at most a handful). */
  critical: ReadonlyArray<{ title: string; url: string }>;
  shipped: number;
  /** Mapped Bugs used of the allowance this period; null for people who may not see billing. */
  usage: { used: number; allowance: number; billingUrl: string } | null;
  /** Absolute link to the workspace's bugs. */
  bugsUrl: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The daily digest email: the last 24 hours of a workspace in a few lines. Opt-in, so it always
 * carries the one-click unsubscribe (RFC 8058 headers) like any unlockable notification email.
 */
export function renderDigestMail(input: DigestMailInput): MailMessage {
  const subject = `[${input.workspaceName}] Your day in Patchline: ${plural(input.newBugs, "new Mapped Bug", "new Mapped Bugs")}`;
  const lines = [
    `${plural(input.newBugs, "new Mapped Bug", "new Mapped Bugs")} in the last 24 hours.`,
    `${plural(input.shipped, "bug fix", "bug fixes")} shipped.`,
  ];
  const usageLine = input.usage
    ? `Usage this period: ${input.usage.used} of ${input.usage.allowance} Mapped Bugs included.`
    : null;
  const footer = `You get this because "Daily digest" email is on for you in ${input.workspaceName}.`;
  const text = [
    `${input.workspaceName}, ${input.day}`,
    "",
    ...lines,
    ...(input.critical.length > 0
      ? ["", "Critical:", ...input.critical.map((c) => `- ${c.title}: ${c.url}`)]
      : []),
    ...(usageLine ? ["", usageLine, `Billing: ${input.usage?.billingUrl}`] : []),
    "",
    `All bugs: ${input.bugsUrl}`,
    "",
    `${footer} Stop these emails: ${input.unsubscribeUrl}`,
    `All notification settings: ${input.settingsUrl}`,
  ].join("\n");
  const criticalHtml =
    input.critical.length > 0
      ? `<p style="font-weight:600;margin-bottom:4px">Critical</p><ul style="margin-top:0">${input.critical
          .map((c) => `<li><a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a></li>`)
          .join("")}</ul>`
      : "";
  const usageHtml =
    usageLine && input.usage
      ? `<p>${escapeHtml(usageLine)} <a href="${escapeHtml(input.usage.billingUrl)}">Billing</a></p>`
      : "";
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
<p style="font-size:18px;font-weight:600">${escapeHtml(input.workspaceName)}, ${escapeHtml(input.day)}</p>
${lines.map((l) => `<p style="margin:4px 0">${escapeHtml(l)}</p>`).join("\n")}
${criticalHtml}
${usageHtml}
<p><a href="${escapeHtml(input.bugsUrl)}" style="display:inline-block;padding:10px 16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">Open bugs in Patchline</a></p>
<p style="color:#555;font-size:13px">${escapeHtml(footer)} <a href="${escapeHtml(input.unsubscribeUrl)}">Stop these emails</a>. <a href="${escapeHtml(input.settingsUrl)}">Notification settings</a>.</p>
</body></html>`;
  return {
    to: input.to,
    subject,
    html,
    text,
    headers: {
      "List-Unsubscribe": `<${input.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
