import { createHash } from "node:crypto";
import { NOTIFICATION_EVENTS, type NotificationEventType } from "../catalog";
import { type NotificationPayload, notificationMessage } from "../messages";

/**
 * What a Slack message says: the same words as the bell and the email (lib/notifications/
 * messages.ts: the event's title and a sentence, a bug named by its severity and linked), plus,
 * for a new bug, its fix pull request's state (repository, number, CI, review), which changes the
 * message in place. Never ticket text, a bug title, a customer's name or address: whoever follows
 * the link and may read the bug sees the rest. Pure: unit-tested.
 */

export const SLACK_METADATA_EVENT = "patchline_notification";

export interface PullRequestState {
  repositoryFullName: string;
  number: number;
  url: string;
  state: "draft" | "open" | "merged" | "closed";
  checksState: "none" | "pending" | "passing" | "failing";
  reviewState: "none" | "review_requested" | "changes_requested" | "approved";
}

export interface SlackMessageInput {
  type: NotificationEventType;
  payload: NotificationPayload;
  workspaceSlug: string;
  site: string;
  /** A new bug's fix pull requests (several repositories make a stack). */
  pullRequests?: readonly PullRequestState[];
}

export interface SlackMessageContent {
  /** The notification's fallback text (and what a screen reader or a push notification shows). */
  text: string;
  blocks: Record<string, unknown>[];
}

const CHECKS: Record<PullRequestState["checksState"], string> = {
  none: "no CI yet",
  pending: ":hourglass_flowing_sand: CI running",
  passing: ":white_check_mark: CI passing",
  failing: ":x: CI failing",
};
const REVIEWS: Record<PullRequestState["reviewState"], string> = {
  none: "no review yet",
  review_requested: "review requested",
  changes_requested: "changes requested",
  approved: "approved",
};
const PR_STATES: Record<PullRequestState["state"], string> = {
  draft: "draft",
  open: "open",
  merged: "merged",
  closed: "closed",
};

/** Slack's mrkdwn escapes: `&`, `<` and `>` (https://api.slack.com/reference/surfaces/formatting). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export function pullRequestLine(pr: PullRequestState): string {
  const name = escapeMrkdwn(`${pr.repositoryFullName}#${pr.number}`);
  return `<${pr.url}|${name}> · ${PR_STATES[pr.state]} · ${CHECKS[pr.checksState]} · ${REVIEWS[pr.reviewState]}`;
}

export function buildSlackMessage(input: SlackMessageInput): SlackMessageContent {
  const message = notificationMessage(input.type, input.payload, input.workspaceSlug);
  const url = new URL(message.href, input.site).toString();
  const label = NOTIFICATION_EVENTS[input.type].label;
  const title = escapeMrkdwn(message.title);
  const body = escapeMrkdwn(message.body);
  const blocks: Record<string, unknown>[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `*<${url}|${title}>*\n${body}` },
    },
  ];
  const prs = input.pullRequests ?? [];
  const context = [`${escapeMrkdwn(label)} · ${escapeMrkdwn(input.workspaceSlug)}`];
  if (prs.length) context.push(...prs.map(pullRequestLine));
  blocks.push({
    type: "context",
    elements: context.map((text) => ({ type: "mrkdwn", text })),
  });
  const prText = prs.length
    ? ` (${prs.map((p) => `${p.repositoryFullName}#${p.number}: ${CHECKS[p.checksState].replace(/^:[a-z_]+: /, "")}`).join(", ")})`
    : "";
  return { text: `${message.title}: ${message.body}${prText} ${url}`, blocks };
}

/** A digest of what a message says: an update that would say the same thing is not sent. */
export function contentHash(content: SlackMessageContent): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The message metadata naming its ledger row: how a retry finds a post whose answer was lost. */
export function deliveryMetadata(deliveryId: string) {
  return { event_type: SLACK_METADATA_EVENT, event_payload: { delivery_id: deliveryId } };
}
