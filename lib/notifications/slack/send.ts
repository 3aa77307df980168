import "server-only";
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import { siteUrl } from "@/lib/env";
import { classifySlackError, type SlackFailure } from "@/lib/integrations/slack/client";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { SlackDeliveryError } from "@/lib/supabase/slack.types";
import type { NotificationEventType } from "../catalog";
import type { Occurrence } from "../occurrence";
import {
  buildSlackMessage,
  contentHash,
  deliveryMetadata,
  type PullRequestState,
  SLACK_METADATA_EVENT,
  type SlackMessageContent,
} from "./message";

/**
 * Posting to Slack at most once per (workspace, occurrence, channel), and editing a new bug's
 * message in place.
 *
 * Slack's `chat.postMessage` has no idempotency key, so the ledger row (`slack_messages`) is the
 * key: it is recorded before the first post, each attempt is counted before it is made, and the
 * row's id travels in the message's metadata. A retry of a row that already had an attempt (the
 * post may have happened and its answer been lost) first reads the channel's recent history
 * (`conversations.history` with `include_all_metadata`) for a message carrying that id: found,
 * its `ts` is recorded and nothing is posted; not found, it posts. A row with a `ts` is never
 * posted again.
 */

/** The events whose message is a new bug's: it carries the fix PR's state and is edited. */
const BUG_MESSAGE_TYPES = new Set<NotificationEventType>(["bug_created", "critical_bug"]);

export type PostOutcome =
  | { outcome: "posted"; ts: string; found: boolean }
  | { outcome: "already_posted"; ts: string }
  | { outcome: "refused"; error: string; failure: SlackFailure["kind"] };

/** Thrown for a failure worth retrying (an outage, a lost answer, a rate limit). */
export class SlackRetryableError extends Error {
  constructor(readonly failure: SlackFailure) {
    super(`Slack call failed: ${failure.kind === "rate_limited" ? "ratelimited" : failure.error}`);
    this.name = "SlackRetryableError";
  }
}

export interface SlackRoute {
  channelId: string;
  channelName: string;
}

/** The channel an event goes to in this workspace, or null (none chosen). */
export async function loadRoute(
  admin: AdminSupabaseClient,
  organizationId: string,
  type: NotificationEventType,
): Promise<SlackRoute | null> {
  const { data, error } = await admin
    .from("slack_channel_routes")
    .select("channel_id, channel_name")
    .eq("organization_id", organizationId)
    .eq("event_type", type)
    .maybeSingle();
  if (error) throw new Error(`read Slack route: ${error.code ?? error.message}`);
  return data ? { channelId: data.channel_id, channelName: data.channel_name } : null;
}

/** The fix pull requests of a bug, as the message shows them (no title: it may quote a ticket). */
export async function loadPullRequests(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<PullRequestState[]> {
  const { data, error } = await admin
    .from("pull_requests")
    .select("repository_full_name, number, url, state, checks_state, review_state")
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .order("created_at", { ascending: true });
  if (error) throw new Error(`read pull requests: ${error.code ?? error.message}`);
  return (data ?? []).map((p) => ({
    repositoryFullName: p.repository_full_name,
    number: p.number,
    url: p.url,
    state: p.state as PullRequestState["state"],
    checksState: p.checks_state as PullRequestState["checksState"],
    reviewState: p.review_state as PullRequestState["reviewState"],
  }));
}

async function contentFor(
  admin: AdminSupabaseClient,
  occurrence: Pick<Occurrence, "organizationId" | "type" | "payload">,
  slug: string,
): Promise<SlackMessageContent> {
  const bugId = typeof occurrence.payload.bugId === "string" ? occurrence.payload.bugId : null;
  const pullRequests =
    bugId && BUG_MESSAGE_TYPES.has(occurrence.type)
      ? await loadPullRequests(admin, occurrence.organizationId, bugId)
      : [];
  return buildSlackMessage({
    type: occurrence.type,
    payload: occurrence.payload,
    workspaceSlug: slug,
    site: siteUrl(),
    pullRequests,
  });
}

const historyAnswer = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) })
          .optional(),
      }),
    )
    .default([]),
});

/** A message of ours carrying this ledger row's id, posted since the row was created. */
async function findPosted(
  client: WebClient,
  channelId: string,
  deliveryId: string,
  since: string,
): Promise<string | null> {
  // a minute of slack for clock skew between the database and Slack
  const oldest = (Date.parse(since) / 1000 - 60).toFixed(6);
  const answer = historyAnswer.parse(
    await client.conversations.history({
      channel: channelId,
      include_all_metadata: true,
      oldest,
      limit: 200,
    }),
  );
  const hit = answer.messages.find(
    (m) =>
      m.metadata?.event_type === SLACK_METADATA_EVENT &&
      m.metadata.event_payload.delivery_id === deliveryId,
  );
  return hit?.ts ?? null;
}

async function recordChannelRefusal(
  admin: AdminSupabaseClient,
  organizationId: string,
  type: NotificationEventType,
  channelId: string,
  error: SlackDeliveryError,
): Promise<void> {
  // only if the route still names this channel (someone may have chosen another meanwhile)
  const { error: writeError } = await admin
    .from("slack_channel_routes")
    .update({ delivery_error: error, delivery_error_at: new Date().toISOString() })
    .eq("organization_id", organizationId)
    .eq("event_type", type)
    .eq("channel_id", channelId);
  if (writeError) throw new Error(`record Slack refusal: ${writeError.code}`);
}

async function clearChannelRefusal(
  admin: AdminSupabaseClient,
  organizationId: string,
  type: NotificationEventType,
  channelId: string,
): Promise<void> {
  await admin
    .from("slack_channel_routes")
    .update({ delivery_error: null, delivery_error_at: null })
    .eq("organization_id", organizationId)
    .eq("event_type", type)
    .eq("channel_id", channelId)
    .not("delivery_error", "is", null);
}

/**
 * Posts an occurrence to its channel once. Returns what happened; throws SlackRetryableError
 * for an outage or a rate limit (the caller's step retries, through this same ledger row).
 * A refusal (bot not in the channel, token revoked) is recorded and returned, not retried.
 */
export async function postOnce(
  admin: AdminSupabaseClient,
  client: WebClient,
  occurrence: Occurrence,
  route: SlackRoute,
  slug: string,
  onAuthRefused: (error: string) => Promise<void>,
): Promise<PostOutcome> {
  const bugId =
    BUG_MESSAGE_TYPES.has(occurrence.type) && typeof occurrence.payload.bugId === "string"
      ? occurrence.payload.bugId
      : null;
  const keys = {
    organization_id: occurrence.organizationId,
    event_key: occurrence.key,
    channel_id: route.channelId,
  };
  const { error: claimError } = await admin
    .from("slack_messages")
    .upsert(
      { ...keys, event_type: occurrence.type, bug_id: bugId },
      { onConflict: "organization_id,event_key,channel_id", ignoreDuplicates: true },
    );
  if (claimError) throw new Error(`record Slack message: ${claimError.code ?? claimError.message}`);
  const { data: row, error: readError } = await admin
    .from("slack_messages")
    .select("id, status, ts, attempts, last_error, created_at")
    .eq("organization_id", keys.organization_id)
    .eq("event_key", keys.event_key)
    .eq("channel_id", keys.channel_id)
    .single();
  if (readError) throw new Error(`read Slack message: ${readError.code ?? readError.message}`);
  if (row.status === "posted" && row.ts) return { outcome: "already_posted", ts: row.ts };
  if (row.status === "failed")
    return { outcome: "refused", error: row.last_error ?? "failed", failure: "refused" };

  const fail = async (failure: SlackFailure): Promise<PostOutcome> => {
    if (failure.kind === "transient" || failure.kind === "rate_limited") {
      await admin
        .from("slack_messages")
        .update({ last_error: failure.kind === "rate_limited" ? "ratelimited" : failure.error })
        .eq("organization_id", keys.organization_id)
        .eq("id", row.id);
      throw new SlackRetryableError(failure);
    }
    if (failure.kind === "channel")
      await recordChannelRefusal(
        admin,
        keys.organization_id,
        occurrence.type,
        route.channelId,
        failure.error,
      );
    if (failure.kind === "auth") await onAuthRefused(failure.error);
    const { error } = await admin
      .from("slack_messages")
      .update({ status: "failed", last_error: failure.error })
      .eq("organization_id", keys.organization_id)
      .eq("id", row.id);
    if (error) throw new Error(`mark Slack message failed: ${error.code}`);
    return { outcome: "refused", error: failure.error, failure: failure.kind };
  };
  const markPosted = async (ts: string, hash: string | null) => {
    const { error } = await admin
      .from("slack_messages")
      .update({
        status: "posted",
        ts,
        posted_at: new Date().toISOString(),
        last_error: null,
        content_hash: hash,
      })
      .eq("organization_id", keys.organization_id)
      .eq("id", row.id);
    if (error) throw new Error(`mark Slack message posted: ${error.code}`);
    await clearChannelRefusal(admin, keys.organization_id, occurrence.type, route.channelId);
  };

  // an earlier attempt may have posted and lost its answer: look before posting again
  if (row.attempts > 0) {
    let found: string | null;
    try {
      found = await findPosted(client, route.channelId, row.id, row.created_at);
    } catch (error) {
      return fail(classifySlackError(error));
    }
    if (found) {
      await markPosted(found, null);
      return { outcome: "posted", ts: found, found: true };
    }
  }
  // counted before the call: if its answer is lost, the next attempt knows to look first
  const { error: countError } = await admin
    .from("slack_messages")
    .update({ attempts: row.attempts + 1 })
    .eq("organization_id", keys.organization_id)
    .eq("id", row.id);
  if (countError) throw new Error(`count Slack attempt: ${countError.code}`);

  const content = await contentFor(admin, occurrence, slug);
  let ts: string;
  try {
    const answer = await client.chat.postMessage({
      channel: route.channelId,
      text: content.text,
      // biome-ignore lint/suspicious/noExplicitAny: Block Kit's union type; the content is built by message.ts
      blocks: content.blocks as any,
      metadata: deliveryMetadata(row.id),
      unfurl_links: false,
      unfurl_media: false,
    });
    ts = z.string().parse(answer.ts);
  } catch (error) {
    return fail(classifySlackError(error));
  }
  await markPosted(ts, contentHash(content));
  return { outcome: "posted", ts, found: false };
}

export type UpdateOutcome = { updated: number; unchanged: number; failed: number };

/**
 * Edits the posted messages of a new bug (chat.update on their ts) to show its pull requests'
 * current CI and review state. An edit that would say the same thing is skipped. An outage
 * throws (the step retries); a refusal (message deleted, bot removed) is counted and left.
 */
export async function updateBugMessages(
  admin: AdminSupabaseClient,
  client: WebClient,
  organizationId: string,
  bugId: string,
  slug: string,
): Promise<UpdateOutcome> {
  const { data: rows, error } = await admin
    .from("slack_messages")
    .select("id, event_type, channel_id, ts, content_hash")
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .eq("status", "posted");
  if (error) throw new Error(`read Slack messages: ${error.code ?? error.message}`);
  const outcome: UpdateOutcome = { updated: 0, unchanged: 0, failed: 0 };
  if (!rows?.length) return outcome;
  const { data: bug, error: bugError } = await admin
    .from("bugs")
    .select("severity, status")
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .maybeSingle();
  if (bugError) throw new Error(`read bug: ${bugError.code}`);
  if (!bug) return outcome;
  for (const row of rows) {
    if (!row.ts) continue;
    const content = await contentFor(
      admin,
      {
        organizationId,
        type: row.event_type,
        payload: { bugId, severity: bug.severity, status: bug.status },
      },
      slug,
    );
    const hash = contentHash(content);
    if (hash === row.content_hash) {
      outcome.unchanged += 1;
      continue;
    }
    try {
      await client.chat.update({
        channel: row.channel_id,
        ts: row.ts,
        text: content.text,
        // biome-ignore lint/suspicious/noExplicitAny: Block Kit's union type; the content is built by message.ts
        blocks: content.blocks as any,
      });
    } catch (err) {
      const failure = classifySlackError(err);
      if (failure.kind === "transient" || failure.kind === "rate_limited")
        throw new SlackRetryableError(failure);
      outcome.failed += 1;
      continue;
    }
    const { error: markError } = await admin
      .from("slack_messages")
      .update({ content_hash: hash, updated_at: new Date().toISOString() })
      .eq("organization_id", organizationId)
      .eq("id", row.id);
    if (markError) throw new Error(`mark Slack message updated: ${markError.code}`);
    outcome.updated += 1;
  }
  return outcome;
}
