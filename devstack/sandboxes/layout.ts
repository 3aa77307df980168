import { escapeHtml } from "../shared/http";

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#111}
header{background:#111827;color:#fff;padding:12px 24px;font-weight:600}
header a{color:#fff;text-decoration:none}
main{max-width:1040px;margin:24px auto;padding:0 16px}
h2{font-size:16px;margin:28px 0 8px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e5e7eb;font-size:13px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top}
code{font:12px ui-monospace,monospace}
a{color:#2563eb}.muted{color:#6b7280}
.card{background:#fff;border:1px solid #e5e7eb;padding:16px;margin-bottom:12px;border-radius:6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
label{display:block;margin:6px 0 2px;font-weight:500}
input[type=text],input[type=number],input[type=email],textarea,select{width:100%;box-sizing:border-box;padding:6px 8px;border:1px solid #d1d5db;border-radius:4px;font:inherit}
button{margin-top:10px;padding:6px 14px;border:0;border-radius:4px;background:#2563eb;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#e5e7eb;color:#111}
button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:2px solid #f59e0b;outline-offset:2px}
.ok{color:#047857}.bad{color:#b91c1c}.warn{color:#b45309}
.consent{max-width:440px;margin:64px auto}`;

/** The one page frame of the sandboxes: plain server-rendered HTML, no script. */
export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${STYLE}</style></head><body><header><a href="/">devstack provider sandboxes</a></header>
<main>${body}</main></body></html>`;
}

/** Hidden inputs carrying the authorize request through the consent form. */
export function hiddenInputs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v ?? "")}">`)
    .join("");
}

/**
 * An OAuth consent page a person (or a Playwright test) clicks "Allow" or "Deny" on; the form
 * posts back to the same URL with the original parameters.
 */
export function consentPage(opts: {
  provider: string;
  account: string;
  appName: string;
  scope: string;
  action: string;
  params: Record<string, string | undefined>;
}): string {
  return layout(
    `${opts.provider}: authorize ${opts.appName}`,
    `<div class="card consent" data-testid="sandbox-consent">
<h1 style="font-size:18px;margin-top:0">${escapeHtml(opts.provider)} sandbox</h1>
<p><strong>${escapeHtml(opts.appName)}</strong> wants to access <strong>${escapeHtml(opts.account)}</strong>.</p>
<p class="muted">Scopes: ${escapeHtml(opts.scope || "(default)")}</p>
<form method="post" action="${escapeHtml(opts.action)}">${hiddenInputs(opts.params)}
<button type="submit" name="decision" value="allow" data-testid="sandbox-allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary" data-testid="sandbox-deny">Deny</button>
</form></div>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(
    title,
    `<div class="card consent"><h1 style="font-size:18px">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></div>`,
  );
}
