import { escapeHtml as e } from "../shared/http";
import type { SandboxContext } from "./context";
import { bodyObject, html, type SandboxRequest, type SandboxResponse } from "./http";
import { layout } from "./layout";
import type { Router } from "./router";
import { dispatch } from "./server";
import type { Delivery } from "./state";
import { maskToken } from "./tokens";

const STATE_CLASS: Record<Delivery["state"], string> = {
  delivered: "ok",
  failed: "bad",
  retrying: "warn",
  pending: "muted",
};

function field(
  name: string,
  label: string,
  opts: { value?: string; type?: string; textarea?: boolean; required?: boolean } = {},
): string {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const req = opts.required === false ? "" : " required";
  const input = opts.textarea
    ? `<textarea id="${id}" name="${name}" rows="3"${req}>${e(opts.value ?? "")}</textarea>`
    : `<input type="${opts.type ?? "text"}" id="${id}" name="${name}" value="${e(opts.value ?? "")}"${req}>`;
  return `<label for="${id}">${e(label)}</label>${input}`;
}

function select(name: string, label: string, options: string[], selected?: string): string {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  return `<label for="${id}">${e(label)}</label><select id="${id}" name="${name}">${options.map((o) => `<option${o === selected ? " selected" : ""}>${e(o)}</option>`).join("")}</select>`;
}

const form = (action: string, title: string, body: string, button: string) =>
  `<form class="card" method="post" action="/_page/${action}"><strong>${e(title)}</strong>${body}<button type="submit">${e(button)}</button></form>`;

function forms(ctx: SandboxContext): string {
  const repos = ctx.state.github.repos.map((r) => `${r.owner}/${r.name}`);
  const subs = Object.keys(ctx.state.zendesk);
  const repoSelect = (label = "Repository") =>
    repos.length
      ? select("repo", label, repos)
      : `<p class="muted">No repository yet: add one below.</p>`;
  return `<div class="grid">
${form("zendesk-ticket", "Zendesk: a customer opens a ticket", field("subdomain", "Subdomain", { value: subs[0] ?? "acme" }) + field("subject", "Subject") + field("body", "Message", { textarea: true }) + field("email", "Customer email", { type: "email", value: "casey@customer.example" }), "Create ticket")}
${form("intercom-conversation", "Intercom: a customer starts a conversation", field("body", "Message", { textarea: true }) + field("email", "Customer email", { type: "email", value: "casey@customer.example" }), "Start conversation")}
${form("github-push", "GitHub: push a commit", repoSelect() + field("branch", "Branch", { value: "main" }) + field("message", "Commit message") + field("path", "File path", { value: "CHANGELOG.md" }) + field("content", "File content", { textarea: true }), "Push")}
${form("github-merge", "GitHub: merge a pull request", repoSelect() + field("number", "Pull request number", { type: "number", value: "1" }), "Merge")}
${form("github-deployment", "GitHub: report a deployment", repoSelect() + field("ref", "Ref", { value: "main" }) + field("environment", "Environment", { value: "production" }) + select("state", "State", ["success", "failure", "in_progress", "error"], "success"), "Report")}
${form("razorpay-payment", "Razorpay: a payment is captured", field("amount", "Amount (paise)", { type: "number", value: "49900" }) + field("subscription_id", "Subscription id (optional)", { required: false }) + field("email", "Payer email", { type: "email", value: "billing@customer.example" }), "Capture")}
${form("github-add-repo", "GitHub: serve a local git repository", field("path", "Path to a git directory") + field("full_name", "As owner/name", { value: "acme/app" }), "Add")}
</div>`;
}

function tables(ctx: SandboxContext): string {
  const tokens = [...ctx.state.tokens].reverse().slice(0, 50);
  const tokenRows = tokens
    .map((t) => {
      const expired = t.expiresAt !== undefined && Date.parse(t.expiresAt) <= Date.now();
      const status = t.revokedAt
        ? '<span class="bad">revoked</span>'
        : expired
          ? '<span class="warn">expired</span>'
          : '<span class="ok">active</span>';
      return `<tr><td>${e(t.provider)}</td><td>${e(t.kind)}</td><td>${e(t.account)}</td><td><code>${e(maskToken(t.value))}</code></td><td>${status}</td><td class="muted">${e(t.expiresAt ?? "never")}</td></tr>`;
    })
    .join("");
  const hooks = Object.values(ctx.state.zendesk).flatMap((acc) =>
    acc.webhooks.map(
      (h) =>
        `<tr><td>zendesk</td><td>${e(acc.subdomain)}</td><td><code>${e(h.endpoint)}</code></td><td>${e(h.status)}</td><td class="muted">${e(h.subscriptions.join(", "))}</td></tr>`,
    ),
  );
  for (const p of ["github", "intercom", "razorpay"] as const) {
    hooks.push(
      `<tr><td>${p}</td><td>app-wide</td><td><code>${e(ctx.state.targets[p] ?? `${ctx.siteUrl}/api/webhooks/${p}`)}</code></td><td>active</td><td class="muted">${p === "github" ? "installation, installation_repositories, push, pull_request, deployment, deployment_status" : "all"}</td></tr>`,
    );
  }
  const deliveries = [...ctx.state.deliveries].reverse().slice(0, 50);
  const deliveryRows = deliveries
    .map((d) => {
      const last = d.attempts.at(-1);
      const answers =
        d.attempts
          .map((a) => (a.status !== undefined ? String(a.status) : (a.error ?? "error")))
          .join(" → ") || "—";
      return `<tr><td class="muted">${e(d.createdAt.slice(11, 19))}</td><td>${e(d.provider)}</td><td>${e(d.event)}</td><td><code>${e(d.url)}</code></td><td class="${STATE_CLASS[d.state]}">${e(d.state)}</td><td>${e(answers)}</td><td class="muted"><code>${e((last?.responseBody ?? "").slice(0, 80))}</code></td>
<td><form method="post" action="/_page/redeliver" style="margin:0"><input type="hidden" name="id" value="${e(d.id)}"><button type="submit" class="secondary" style="margin:0">Redeliver</button></form></td></tr>`;
    })
    .join("");
  const installs = ctx.state.github.installations
    .map(
      (i) =>
        `<tr><td>${i.id}</td><td>${e(i.account)}</td><td>${e(i.selection)}</td><td><a href="/github/web/settings/installations/${i.id}">configure</a></td></tr>`,
    )
    .join("");
  const repos = ctx.state.github.repos
    .map(
      (r) =>
        `<tr><td>${e(`${r.owner}/${r.name}`)}</td><td>${e(r.defaultBranch)}</td><td class="muted"><code>${e(r.source)}</code></td></tr>`,
    )
    .join("");
  const empty = (cols: number, text: string) =>
    `<tr><td colspan="${cols}" class="muted">${e(text)}</td></tr>`;
  return `<h2>Deliveries</h2><table data-testid="sandbox-deliveries"><thead><tr><th>At</th><th>Provider</th><th>Event</th><th>To</th><th>State</th><th>Answers</th><th>Last body</th><th></th></tr></thead><tbody>${deliveryRows || empty(8, "No webhook sent yet: create a ticket above, or connect an integration in the app.")}</tbody></table>
<h2>Issued tokens</h2><table data-testid="sandbox-tokens"><thead><tr><th>Provider</th><th>Kind</th><th>Account</th><th>Token</th><th>Status</th><th>Expires</th></tr></thead><tbody>${tokenRows || empty(6, "No token issued yet: connect Zendesk, Intercom or the GitHub App in the app.")}</tbody></table>
<h2>Webhooks</h2><table><thead><tr><th>Provider</th><th>Account</th><th>Endpoint</th><th>Status</th><th>Events</th></tr></thead><tbody>${hooks.join("")}</tbody></table>
<h2>GitHub App installations</h2><table><thead><tr><th>Id</th><th>Account</th><th>Repositories</th><th></th></tr></thead><tbody>${installs || empty(4, `Not installed: install from the app, or at /github/web/apps/${ctx.credentials.GITHUB_APP_SLUG}/installations/new.`)}</tbody></table>
<h2>Repositories served</h2><table><thead><tr><th>Repository</th><th>Default branch</th><th>Added from</th></tr></thead><tbody>${repos || empty(3, "None yet.")}</tbody></table>`;
}

function home(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const flash = req.url.searchParams.get("flash");
  const error = req.url.searchParams.get("error");
  const note = flash
    ? `<p class="card ok" role="status">${e(flash)}</p>`
    : error
      ? `<p class="card bad" role="alert">${e(error)}</p>`
      : "";
  return html(
    200,
    layout(
      "Provider sandboxes",
      `${note}<p class="muted">Local stand-ins for Zendesk, Intercom, GitHub and Razorpay. The app reaches them through the base URLs in the devstack env file; <code>npm run sandbox -- --help</code> drives them from a terminal.</p>${forms(ctx)}${tables(ctx)}`,
    ),
  );
}

type Form = Record<string, string>;
/** Each form of the page, as the control API request it stands for. */
const ACTIONS: Record<string, (f: Form) => { path: string; body: unknown; done: string }> = {
  "zendesk-ticket": (f) => ({
    path: "/_control/zendesk/tickets",
    body: {
      subdomain: f.subdomain,
      subject: f.subject,
      body: f.body,
      requester: { email: f.email },
    },
    done: "Ticket created.",
  }),
  "intercom-conversation": (f) => ({
    path: "/_control/intercom/conversations",
    body: { body: f.body, contact: { email: f.email, name: f.email?.split("@")[0] || "Customer" } },
    done: "Conversation started.",
  }),
  "github-push": (f) => ({
    path: "/_control/github/push",
    body: {
      repo: f.repo,
      branch: f.branch,
      message: f.message,
      files: f.path ? { [f.path]: f.content ?? "" } : {},
    },
    done: "Pushed.",
  }),
  "github-merge": (f) => ({
    path: "/_control/github/merge",
    body: { repo: f.repo, number: f.number },
    done: "Merged.",
  }),
  "github-deployment": (f) => ({
    path: "/_control/github/deployment-status",
    body: { repo: f.repo, ref: f.ref, environment: f.environment, state: f.state },
    done: "Deployment reported.",
  }),
  "razorpay-payment": (f) => ({
    path: "/_control/razorpay/payment-captured",
    body: {
      amount: f.amount,
      email: f.email,
      ...(f.subscription_id ? { subscription_id: f.subscription_id } : {}),
    },
    done: "Payment captured.",
  }),
  "github-add-repo": (f) => ({
    path: "/_control/github/repositories",
    body: { path: f.path, full_name: f.full_name },
    done: "Repository added.",
  }),
  redeliver: (f) => ({
    path: `/_control/deliveries/${encodeURIComponent(f.id ?? "")}/redeliver`,
    body: {},
    done: "Sent again.",
  }),
};

/** `GET /` (the page) and `POST /_page/<action>` (its forms, run through the control API). */
export function registerPage(router: Router, ctx: SandboxContext): void {
  router.add("GET", "/", (req) => home(ctx, req));
  router.add("POST", "/_page/:action", async (req, [action]) => {
    const build = ACTIONS[action!];
    const fields = bodyObject(req);
    if (!build || typeof fields !== "object" || fields === null)
      return { status: 303, headers: { location: "/?error=Unknown+form" } };
    const call = build(fields as Form);
    const url = new URL(call.path, ctx.sandboxUrl);
    const out = await dispatch(router, {
      method: "POST",
      path: url.pathname,
      url,
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(call.body)),
    });
    const ok = out.status >= 200 && out.status < 300;
    const message = ok
      ? call.done
      : `Refused (${out.status}): ${JSON.stringify(out.json).slice(0, 300)}`;
    return {
      status: 303,
      headers: { location: `/?${ok ? "flash" : "error"}=${encodeURIComponent(message)}` },
    };
  });
}
