import { escapeHtml } from "../shared/http";
import type { StoredMail } from "./store";

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#111}
header{background:#111827;color:#fff;padding:12px 24px;font-weight:600}
main{max-width:960px;margin:24px auto;padding:0 16px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e5e7eb}
th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #e5e7eb}
a{color:#2563eb}.muted{color:#6b7280}.card{background:#fff;border:1px solid #e5e7eb;padding:16px}
iframe{width:100%;height:70vh;border:1px solid #e5e7eb;background:#fff}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body><header>devstack mailbox</header><main>${body}</main></body></html>`;
}

export function listPage(mails: StoredMail[]): string {
  if (mails.length === 0) {
    return layout(
      "Mailbox",
      `<p class="card">No mail yet. Sign up in the app and the confirmation lands here.</p>`,
    );
  }
  const rows = mails
    .map(
      (
        m,
      ) => `<tr><td>${escapeHtml(m.to)}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td>
<td class="muted">${escapeHtml(m.source)}</td><td class="muted">${escapeHtml(m.createdAt)}</td></tr>`,
    )
    .join("");
  return layout(
    "Mailbox",
    `<table><thead><tr><th>To</th><th>Subject</th><th>From</th><th>Received</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function messagePage(m: StoredMail): string {
  // The HTML body is shown in a sandboxed iframe so a message's markup cannot script the mailbox.
  const body = m.html
    ? `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(m.html)}" title="message body"></iframe>`
    : `<pre class="card">${escapeHtml(m.text ?? "")}</pre>`;
  return layout(
    m.subject,
    `<p><a href="/">← all mail</a></p><div class="card"><strong>${escapeHtml(m.subject)}</strong>
<div class="muted">To ${escapeHtml(m.to)} · from ${escapeHtml(m.from)} · ${escapeHtml(m.createdAt)}</div></div>${body}`,
  );
}
