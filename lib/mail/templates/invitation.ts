import type { MailMessage } from "../types";
import { escapeHtml } from "./escape";

export interface InvitationMailInput {
  to: string;
  organizationName: string;
  inviterEmail?: string | null;
  /** The role as people read it ("Admin"); the caller maps its role code, so mail knows no roles. */
  roleLabel: string;
  acceptUrl: string;
  expiresAt: Date;
}

/** The workspace invitation email: who invites you, to what, as which role, until when. */
export function renderInvitationMail(input: InvitationMailInput): MailMessage {
  const role = input.roleLabel;
  const expires = input.expiresAt.toUTCString();
  const who = input.inviterEmail
    ? `${input.inviterEmail} has invited you`
    : "You have been invited";
  const subject = `You're invited to ${input.organizationName} on Patchline`;
  const text = [
    `${who} to join ${input.organizationName} on Patchline as ${role}.`,
    "",
    `Accept the invitation: ${input.acceptUrl}`,
    "",
    `The link works until ${expires}. If you did not expect this, ignore this email.`,
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
<p>${escapeHtml(who)} to join <strong>${escapeHtml(input.organizationName)}</strong> on Patchline as <strong>${escapeHtml(role)}</strong>.</p>
<p><a href="${escapeHtml(input.acceptUrl)}" style="display:inline-block;padding:10px 16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">Accept the invitation</a></p>
<p style="color:#555">Or open this link: ${escapeHtml(input.acceptUrl)}</p>
<p style="color:#555">The link works until ${escapeHtml(expires)}. If you did not expect this, ignore this email.</p>
</body></html>`;
  return { to: input.to, subject, html, text };
}
