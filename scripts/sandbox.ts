/**
 * `npm run sandbox -- <provider> <action> [--flags]`: drives the provider sandboxes of a running
 * devstack through their control API (found through `<DEVSTACK_HOME>/env`, default `.devstack/env`)
 * and prints what it did, including the answers the app gave to the webhooks it caused.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { demoBatch } from "@/devstack/demo-repo/demo-batch";
import { readEnvFile } from "./lib/processes";
import {
  GITHUB_PR_COMMANDS,
  GITHUB_PR_FLAGS,
  GITHUB_PR_HELP,
  runGithubPrCommand,
} from "./lib/sandbox-github-pr";
import { DEMO_WORKSPACE, DEMO_ZENDESK_SUBDOMAIN } from "./lib/seed-demo";

const HELP = `usage: npm run sandbox -- <command> [flags]

  zendesk ticket-created --subdomain acme --subject "…" --body "…" [--email you@x] [--tag t]…
  zendesk demo-batch [--subdomain acme]
                 the demo tickets (devstack/demo-repo: bugs, noise, one in Spanish) as customers
                 writing in to the demo workspace's Zendesk (\`npm run dev\` connected "acme")
  zendesk comment --subdomain acme --ticket ID --body "…" [--private] [--as end-user|agent|admin]
  intercom conversation --body "…" [--email you@x]
  intercom reply --conversation ID --body "…"
  github add-repo <path> [--name owner/name] [--public]
  github push --repo owner/name [--branch main] --message "…" --file path=content…
  github push --repo owner/name            (no message: new commits fetched from the repo's source)
  github merge --repo owner/name --pr N
  github deployment-status --repo owner/name [--ref main] [--environment production] [--state success]
${GITHUB_PR_HELP}
  razorpay payment-captured --amount 49900 [--subscription sub_…] [--email you@x]
  tokens [--provider zendesk|intercom|github|razorpay]
  deliveries [--provider …] [--limit 20]
  expire-token <token>   revoke-token <token>

  --no-wait   do not wait for the webhook answers`;

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    subdomain: { type: "string" },
    subject: { type: "string" },
    body: { type: "string" },
    email: { type: "string" },
    tag: { type: "string", multiple: true },
    ticket: { type: "string" },
    private: { type: "boolean" },
    as: { type: "string" },
    conversation: { type: "string" },
    name: { type: "string" },
    public: { type: "boolean" },
    repo: { type: "string" },
    branch: { type: "string" },
    message: { type: "string" },
    file: { type: "string", multiple: true },
    pr: { type: "string" },
    ref: { type: "string" },
    environment: { type: "string" },
    state: { type: "string" },
    amount: { type: "string" },
    subscription: { type: "string" },
    provider: { type: "string" },
    limit: { type: "string" },
    "no-wait": { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...GITHUB_PR_FLAGS,
  },
});

function devstackEnv(): { file: string; env: Record<string, string> } {
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  try {
    return { file, env: readEnvFile(file) };
  } catch {
    throw new Error(
      `no devstack env at ${file}: start one with \`npm run devstack\` or \`npm run dev\``,
    );
  }
}

function sandboxUrl(): string {
  const { file, env } = devstackEnv();
  if (!env.SANDBOX_URL) throw new Error(`${file} has no SANDBOX_URL: restart the devstack`);
  return env.SANDBOX_URL;
}

interface DeliveryRef {
  id: string;
  url: string;
  event?: string;
}

async function call<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandboxUrl()}/_control${p}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as T;
  if (!res.ok) throw new Error(`the sandbox refused (${res.status}): ${JSON.stringify(json)}`);
  return json;
}

function need(name: keyof typeof flags): string {
  const v = flags[name];
  if (typeof v !== "string" || !v)
    throw new Error(`--${name} is required (npm run sandbox -- --help)`);
  return v;
}

/** Waits (up to 5 s) for each delivery's first answer and prints it. */
async function report(deliveries: DeliveryRef[]): Promise<void> {
  if (deliveries.length === 0) {
    console.log("  no webhook sent (nothing subscribed: connect the integration in the app first)");
    return;
  }
  for (const d of deliveries) {
    let line = `  webhook ${d.event ?? ""} → ${d.url}`.replace("  webhook  →", "  webhook →");
    if (!flags["no-wait"]) {
      const start = Date.now();
      let answered = false;
      while (!answered && Date.now() - start < 5000) {
        const { delivery } = await call<{
          delivery: { state: string; attempts: Array<{ status?: number; error?: string }> };
        }>("GET", `/deliveries/${d.id}`);
        const a = delivery.attempts.at(-1);
        if (a) {
          line += `: ${a.status ?? a.error} (${delivery.state}${delivery.state === "retrying" ? ", retried with backoff" : ""})`;
          answered = true;
        } else await new Promise((r) => setTimeout(r, 200));
      }
      // `next dev` compiles the webhook route on its first request: the answer comes, later
      if (!answered) line += ": no answer within 5 s yet (npm run sandbox -- deliveries)";
    }
    console.log(line);
  }
}

async function main(): Promise<void> {
  const [area, action, arg] = positionals;
  if (flags.help || !area) {
    console.log(HELP);
    return;
  }
  const single = ["tokens", "deliveries", "expire-token", "revoke-token"].includes(area);
  const key = single || !action ? area : `${area} ${action}`;
  if ((GITHUB_PR_COMMANDS as readonly string[]).includes(key))
    return report(await runGithubPrCommand(key, flags, call));
  switch (key) {
    case "zendesk ticket-created": {
      const out = await call<{
        ticket: { id: number; subject: string };
        deliveries: DeliveryRef[];
      }>("POST", "/zendesk/tickets", {
        subdomain: need("subdomain"),
        subject: need("subject"),
        body: need("body"),
        requester: flags.email ? { email: flags.email } : {},
        tags: flags.tag ?? [],
      });
      console.log(
        `Zendesk ticket #${out.ticket.id} "${out.ticket.subject}" created in ${flags.subdomain}`,
      );
      return report(out.deliveries);
    }
    case "zendesk demo-batch": {
      const subdomain = flags.subdomain ?? DEMO_ZENDESK_SUBDOMAIN;
      const batch = demoBatch();
      for (const t of batch) {
        const out = await call<{ ticket: { id: number }; deliveries: DeliveryRef[] }>(
          "POST",
          "/zendesk/tickets",
          { subdomain, subject: t.subject, body: t.body, requester: t.requester, tags: t.tags },
        );
        const what = `${t.kind}${t.language === "en" ? "" : `, ${t.language}`}`;
        console.log(`Zendesk ticket #${out.ticket.id} (${what}) "${t.subject}"`);
        await report(out.deliveries);
      }
      const site = devstackEnv().env.NEXT_PUBLIC_SITE_URL;
      console.log(
        `\n${batch.length} tickets written in ${subdomain}.${site ? ` Within seconds: ${site}/${DEMO_WORKSPACE.slug}/tickets, /bugs and /review.` : ""}`,
      );
      return;
    }
    case "zendesk comment": {
      const out = await call<{ comment: { id: number }; deliveries: DeliveryRef[] }>(
        "POST",
        `/zendesk/tickets/${need("ticket")}/comments`,
        {
          subdomain: need("subdomain"),
          body: need("body"),
          public: !flags.private,
          author_role: flags.as ?? "end-user",
        },
      );
      console.log(`Zendesk comment ${out.comment.id} added to ticket #${flags.ticket}`);
      return report(out.deliveries);
    }
    case "intercom conversation": {
      const out = await call<{ conversation: { id: string }; deliveries: DeliveryRef[] }>(
        "POST",
        "/intercom/conversations",
        {
          body: need("body"),
          ...(flags.email
            ? { contact: { email: flags.email, name: flags.email.split("@")[0] } }
            : {}),
        },
      );
      console.log(`Intercom conversation ${out.conversation.id} started`);
      return report(out.deliveries);
    }
    case "intercom reply": {
      const out = await call<{ deliveries: DeliveryRef[] }>(
        "POST",
        `/intercom/conversations/${need("conversation")}/reply`,
        { body: need("body") },
      );
      console.log(`Customer replied in Intercom conversation ${flags.conversation}`);
      return report(out.deliveries);
    }
    case "github add-repo": {
      if (!arg) throw new Error("usage: github add-repo <path> [--name owner/name]");
      const out = await call<{
        repository: { full_name: string; default_branch: string };
        created: boolean;
      }>("POST", "/github/repositories", {
        path: path.resolve(arg),
        full_name: flags.name,
        private: !flags.public,
      });
      console.log(
        `${out.created ? "Serving" : "Already serving"} ${out.repository.full_name} (default branch ${out.repository.default_branch}) from ${path.resolve(arg)}`,
      );
      return;
    }
    case "github push": {
      const files: Record<string, string> = {};
      for (const f of flags.file ?? []) {
        const i = f.indexOf("=");
        if (i < 1) throw new Error(`--file wants path=content, got "${f}"`);
        files[f.slice(0, i)] = f.slice(i + 1);
      }
      const out = await call<{
        pushed: Array<{ branch: string; before?: string; after: string }>;
        deliveries: DeliveryRef[];
      }>("POST", "/github/push", {
        repo: need("repo"),
        branch: flags.branch,
        message: flags.message,
        files,
      });
      if (out.pushed.length === 0) console.log(`Nothing new to push to ${flags.repo}`);
      for (const p of out.pushed)
        console.log(
          `Pushed ${flags.repo} ${p.branch}: ${(p.before ?? "(new)").slice(0, 7)} → ${p.after.slice(0, 7)}`,
        );
      return report(out.deliveries);
    }
    case "github merge": {
      const out = await call<{ sha: string; deliveries: DeliveryRef[] }>("POST", "/github/merge", {
        repo: need("repo"),
        number: need("pr"),
      });
      console.log(`Merged ${flags.repo}#${flags.pr} as ${out.sha.slice(0, 7)}`);
      return report(out.deliveries);
    }
    case "github deployment-status": {
      const out = await call<{
        deployment: { id: number; sha: string; environment: string };
        deployment_status: { state: string };
        deliveries: DeliveryRef[];
      }>("POST", "/github/deployment-status", {
        repo: need("repo"),
        ref: flags.ref,
        environment: flags.environment ?? "production",
        state: flags.state ?? "success",
      });
      console.log(
        `Deployment ${out.deployment.id} of ${out.deployment.sha.slice(0, 7)} to ${out.deployment.environment}: ${out.deployment_status.state}`,
      );
      return report(out.deliveries);
    }
    case "razorpay payment-captured": {
      const out = await call<{
        payment: { id: string; amount: number; currency: string };
        deliveries: DeliveryRef[];
      }>("POST", "/razorpay/payment-captured", {
        amount: need("amount"),
        ...(flags.subscription ? { subscription_id: flags.subscription } : {}),
        ...(flags.email ? { email: flags.email } : {}),
      });
      console.log(
        `Razorpay payment ${out.payment.id} captured: ${out.payment.amount} ${out.payment.currency}`,
      );
      return report(out.deliveries);
    }
    case "tokens": {
      const q = flags.provider ? `?provider=${encodeURIComponent(flags.provider)}` : "";
      const out = await call<{
        tokens: Array<{
          provider: string;
          kind: string;
          account: string;
          value: string;
          status: string;
          expiresAt?: string;
        }>;
      }>("GET", `/tokens${q}`);
      for (const t of out.tokens)
        console.log(
          `${t.provider.padEnd(9)} ${t.kind.padEnd(14)} ${t.status.padEnd(8)} ${t.account.padEnd(14)} ${t.value}  ${t.expiresAt ?? ""}`,
        );
      if (out.tokens.length === 0) console.log("no token issued yet");
      return;
    }
    case "deliveries": {
      const q = new URLSearchParams({
        limit: flags.limit ?? "20",
        ...(flags.provider ? { provider: flags.provider } : {}),
      });
      const out = await call<{
        deliveries: Array<{
          createdAt: string;
          provider: string;
          event: string;
          url: string;
          state: string;
          attempts: Array<{ status?: number; error?: string }>;
        }>;
      }>("GET", `/deliveries?${q}`);
      for (const d of out.deliveries) {
        console.log(
          `${d.createdAt}  ${d.provider.padEnd(9)} ${d.event.padEnd(36)} ${d.state.padEnd(9)} ${d.attempts.map((a) => a.status ?? a.error).join(" → ")}  ${d.url}`,
        );
      }
      if (out.deliveries.length === 0) console.log("no delivery yet");
      return;
    }
    case "expire-token":
    case "revoke-token": {
      const token = action ?? "";
      if (!token) throw new Error(`usage: ${area} <token>`);
      await call("POST", `/tokens/${area === "expire-token" ? "expire" : "revoke"}`, { token });
      console.log(`${area === "expire-token" ? "Expired" : "Revoked"} ${token.slice(0, 12)}…`);
      return;
    }
    default:
      throw new Error(`unknown command "${key}"\n\n${HELP}`);
  }
}

main().catch((err: Error) => {
  console.error(`[sandbox] ${err.message}`);
  process.exit(1);
});
