import { createHash } from "node:crypto";
import { escapeHtml } from "../../shared/http";
import type { SandboxContext } from "../context";
import { newToken } from "../credentials";
import { ProviderError } from "../http";
import type { ZendeskAccount, ZendeskComment, ZendeskTicket, ZendeskUser } from "../state";

/** Zendesk's 404 body. */
export const notFound = () =>
  new ProviderError(404, { error: "RecordNotFound", description: "Not found" });

/** Zendesk's 422 body for a record that fails validation. */
export const invalid = (message: string) =>
  new ProviderError(422, {
    error: "RecordInvalid",
    description: "Record validation errors",
    details: { base: [{ description: message }] },
  });

export const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Every subdomain exists: the first request to one creates the account with an admin (the person
 * who consents to OAuth) and an agent, so `--subdomain acme` needs no set-up.
 */
export function account(ctx: SandboxContext, subdomain: string): ZendeskAccount {
  if (!SUBDOMAIN.test(subdomain)) throw notFound();
  const existing = ctx.state.zendesk[subdomain];
  if (existing) return existing;
  const digest = createHash("sha256").update(subdomain).digest();
  const created: ZendeskAccount = {
    subdomain,
    accountId: 10_000_000 + (digest.readUInt32BE(0) % 89_999_999),
    users: [
      {
        id: ctx.store.nextId(),
        name: "Ada Admin",
        email: `admin@${subdomain}.example`,
        role: "admin",
      },
      {
        id: ctx.store.nextId(),
        name: "Sam Agent",
        email: `agent@${subdomain}.example`,
        role: "agent",
      },
    ],
    tickets: [],
    webhooks: [],
  };
  ctx.state.zendesk[subdomain] = created;
  ctx.store.changed();
  return created;
}

export function findTicket(acc: ZendeskAccount, id: string): ZendeskTicket {
  const n = Number(/^(\d+)(?:\.json)?$/.exec(id)?.[1]);
  const t = acc.tickets.find((x) => x.id === n);
  if (!t) throw notFound();
  return t;
}

/** The end user with this email, created on first sight (Zendesk creates requesters that way). */
export function endUser(
  ctx: SandboxContext,
  acc: ZendeskAccount,
  who: { name?: string; email?: string },
): ZendeskUser {
  const email = who.email ?? `customer-${acc.users.length}@customer.example`;
  const found = acc.users.find((u) => u.email === email);
  if (found) return found;
  const user: ZendeskUser = {
    id: ctx.store.nextId(),
    name: who.name ?? email.split("@")[0] ?? "Customer",
    email,
    role: "end-user",
  };
  acc.users.push(user);
  return user;
}

export function userByRole(acc: ZendeskAccount, role: ZendeskUser["role"]): ZendeskUser {
  return acc.users.find((u) => u.role === role) ?? acc.users[0]!;
}

export function newSigningSecret(): string {
  return newToken("sbx_whsec_", 32);
}

const base = (acc: ZendeskAccount) => `${acc.subdomain}.zendesk.com`;

export function userJson(acc: ZendeskAccount, u: ZendeskUser) {
  return {
    id: u.id,
    url: `https://${base(acc)}/api/v2/users/${u.id}.json`,
    name: u.name,
    email: u.email,
    role: u.role,
    active: true,
  };
}

export function ticketJson(acc: ZendeskAccount, t: ZendeskTicket) {
  return {
    id: t.id,
    url: `https://${base(acc)}/api/v2/tickets/${t.id}.json`,
    external_id: null,
    type: null,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.comments[0]?.body ?? "",
    priority: t.priority,
    status: t.status,
    requester_id: t.requesterId,
    submitter_id: t.requesterId,
    assignee_id: null,
    organization_id: null,
    group_id: null,
    tags: t.tags,
    via: { channel: "web", source: { from: {}, to: {}, rel: null } },
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export function commentJson(c: ZendeskComment) {
  return {
    id: c.id,
    type: "Comment",
    author_id: c.authorId,
    body: c.body,
    html_body: `<div class="zd-comment"><p>${escapeHtml(c.body)}</p></div>`,
    plain_body: c.body,
    public: c.public,
    attachments: [],
    via: { channel: "web", source: { from: {}, to: {}, rel: null } },
    created_at: c.createdAt,
  };
}
