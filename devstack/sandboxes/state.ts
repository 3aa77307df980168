/**
 * Everything the sandboxes remember, as one JSON-serialisable value so it survives a devstack
 * restart (a connected integration keeps working) and `devstack reset` starts it afresh.
 */

export type Provider = "zendesk" | "intercom" | "github" | "razorpay" | "slack";

/** A credential the sandbox issued. Kept in clear: tests search the app's database and logs for it. */
export interface IssuedToken {
  /** Numeric id, as Zendesk's `/api/v2/oauth/tokens/{id}` names a token. */
  id: number;
  value: string;
  provider: Provider;
  kind: "access" | "refresh" | "installation" | "webhook_secret";
  /** Zendesk subdomain, Intercom app id, GitHub installation id. */
  account: string;
  clientId?: string;
  scope?: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  /** The refresh token issued with an access token (and the reverse), so a refresh revokes both. */
  pairedWith?: string;
}

export interface AuthCode {
  code: string;
  provider: Provider;
  account: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  expiresAt: string;
  used: boolean;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  responseBody?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  provider: Provider;
  event: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  state: "pending" | "retrying" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
  createdAt: string;
  nextAttemptAt?: string;
}

export interface ZendeskUser {
  id: number;
  name: string;
  email: string;
  role: "end-user" | "agent" | "admin";
}

export interface ZendeskComment {
  id: number;
  authorId: number;
  body: string;
  public: boolean;
  createdAt: string;
}

export interface ZendeskTicket {
  id: number;
  subject: string;
  status: "new" | "open" | "pending" | "hold" | "solved" | "closed";
  priority: string | null;
  requesterId: number;
  tags: string[];
  comments: ZendeskComment[];
  createdAt: string;
  updatedAt: string;
}

export interface ZendeskWebhook {
  id: string;
  name: string;
  endpoint: string;
  status: "active" | "inactive";
  subscriptions: string[];
  signingSecret: string;
  createdAt: string;
}

export interface ZendeskAccount {
  subdomain: string;
  accountId: number;
  users: ZendeskUser[];
  tickets: ZendeskTicket[];
  webhooks: ZendeskWebhook[];
}

export interface GithubRepo {
  id: number;
  owner: string;
  name: string;
  /** The sandbox's own bare clone: pushes and merges never touch the directory it came from. */
  gitDir: string;
  /** Where it was added from; `github push` without a message fetches new commits from there. */
  source: string;
  defaultBranch: string;
  private: boolean;
}

export interface GithubInstallation {
  id: number;
  account: string;
  accountId: number;
  selection: "all" | "selected";
  repositoryIds: number[];
  createdAt: string;
  suspended: boolean;
}

export interface GithubPull {
  id: number;
  number: number;
  repoId: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  mergeCommitSha: string | null;
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface GithubDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  createdAt: string;
}

export interface GithubDeployment {
  id: number;
  repoId: number;
  ref: string;
  sha: string;
  environment: string;
  description: string | null;
  payload: unknown;
  createdAt: string;
  statuses: GithubDeploymentStatus[];
}

export interface IntercomPart {
  id: string;
  partType: "comment" | "note" | "open" | "close" | "assignment";
  body: string;
  authorType: "user" | "admin" | "bot";
  authorId: string;
  createdAt: number;
}

export interface IntercomConversation {
  id: string;
  title: string | null;
  state: "open" | "closed" | "snoozed";
  teamAssigneeId: string | null;
  contact: { id: string; name: string; email: string };
  parts: IntercomPart[];
  createdAt: number;
  updatedAt: number;
}

export interface RazorpaySubscription {
  id: string;
  planId: string;
  status: "created" | "authenticated" | "active" | "pending" | "halted" | "cancelled" | "completed";
  totalCount: number;
  paidCount: number;
  quantity: number;
  notes: Record<string, string>;
  customerId: string | null;
  createdAt: number;
  /** The current billing cycle (unix seconds), set by each charge; absent before the first. */
  currentStart?: number;
  currentEnd?: number;
}

/** A Razorpay plan (`POST /v1/plans`): the amount each cycle charges. */
export interface RazorpayPlan {
  id: string;
  period: string;
  interval: number;
  item: { name: string; amount: number; currency: string; description?: string };
  notes: Record<string, string>;
  createdAt: number;
}

/**
 * A subscription's add-on (`POST /v1/subscriptions/{id}/addons`): an extra amount Razorpay adds
 * to the subscription's next invoice and collects with its next charge. `invoiceId` is that
 * invoice once billed (null while pending; only a pending add-on can be deleted).
 */
export interface RazorpayAddon {
  id: string;
  itemId: string;
  subscriptionId: string;
  item: { name: string; amount: number; currency: string; description?: string };
  quantity: number;
  invoiceId: string | null;
  createdAt: number;
}

/**
 * A refund of a captured payment (`POST /v1/payments/{id}/refund`): partial or full, processed at
 * once (the sandbox has no bank to wait for) unless a control asked it to stay `pending`, to end
 * `processed` or `failed` later (`/_control/razorpay/refund-settled`).
 */
export interface RazorpayRefund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  notes: Record<string, string>;
  receipt: string | null;
  speedRequested: "normal" | "optimum";
  createdAt: number;
  /** Razorpay's refund status (absent: processed; state saved before statuses existed). */
  status?: "pending" | "processed" | "failed";
}

/**
 * A Payment Link (`POST /v1/payment_links`): a hosted page asking one amount, paid once
 * (`payment_link.paid`). `paymentId` is the payment that paid it.
 */
export interface RazorpayPaymentLink {
  id: string;
  amount: number;
  currency: string;
  description: string | null;
  referenceId: string | null;
  customer: { name?: string; email?: string; contact?: string };
  notify: { email: boolean; sms: boolean };
  notes: Record<string, string>;
  callbackUrl: string | null;
  status: "created" | "paid" | "cancelled";
  paymentId: string | null;
  orderId: string;
  createdAt: number;
  updatedAt: number;
}

export interface RazorpayPayment {
  id: string;
  amount: number;
  currency: string;
  /** `refunded` once refunds took the whole amount (a partial refund leaves it `captured`). */
  status: "captured" | "refunded" | "failed";
  /** What refunds took so far (absent: nothing; state saved before refunds existed). */
  amountRefunded?: number;
  email: string;
  subscriptionId: string | null;
  orderId: string | null;
  invoiceId: string | null;
  notes: Record<string, string>;
  createdAt: number;
}

export interface SandboxState {
  version: 1;
  seq: number;
  tokens: IssuedToken[];
  codes: AuthCode[];
  deliveries: Delivery[];
  /** Where app-wide webhooks go (GitHub App, Intercom app, Razorpay dashboard settings). */
  targets: Partial<Record<Provider, string>>;
  zendesk: Record<string, ZendeskAccount>;
  github: {
    privateKeyPem: string;
    publicKeyPem: string;
    repos: GithubRepo[];
    installations: GithubInstallation[];
    pulls: GithubPull[];
    deployments: GithubDeployment[];
    prActivity?: import("./github/pr-activity-state").GithubPrActivityState;
  };
  intercom: { conversations: IntercomConversation[] };
  razorpay: {
    subscriptions: RazorpaySubscription[];
    payments: RazorpayPayment[];
    /** Optional: state saved before plans existed has none. */
    plans?: RazorpayPlan[];
    /** Optional: state saved before add-ons existed has none. */
    addons?: RazorpayAddon[];
    /** Optional: state saved before refunds existed has none. */
    refunds?: RazorpayRefund[];
    /** Optional: state saved before payment links existed has none. */
    paymentLinks?: RazorpayPaymentLink[];
    /** How many of the next refunds stay `pending` (`/_control/razorpay/refunds-pending`). */
    refundsPending?: number;
  };
  /** Optional: state saved before the Slack sandbox existed has none (slack/model.ts). */
  slack?: import("./slack/model").SlackState;
}
