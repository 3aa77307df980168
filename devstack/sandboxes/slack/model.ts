import type { SandboxContext } from "../context";
import { ProviderError } from "../http";

/**
 * The Slack sandbox's state: one Slack workspace ("team"), its channels (and whether the bot is a
 * member of each), every message the bot posted with the edits made to it, and the faults a test
 * forced. Shapes follow Slack's Web API documentation (conversation objects, message `ts`).
 */

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** Whether the app's bot user is in the channel: posting elsewhere answers `not_in_channel`. */
  botMember: boolean;
  archived: boolean;
  created: number;
}

export interface SlackMessageEdit {
  at: string;
  text: string;
  blocks: unknown;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  /** The bot token's team and bot user, as Slack attributes a bot's message. */
  botId: string;
  postedAt: string;
  /** `chat.update` calls, oldest first; `text`/`blocks` above are the latest. */
  edits: SlackMessageEdit[];
}

/** A forced failure: the next `times` calls of `method` (in `channel`, if named) fail this way. */
export interface SlackFault {
  id: number;
  method: string;
  channel: string | null;
  /**
   * `ratelimited`: HTTP 429 with Retry-After; `server_error`: HTTP 503 (an outage);
   * `lost_answer`: the call **is performed**, then answered 503, as when the answer is lost on
   * the way back; or any Slack error code (`invalid_auth`, `channel_not_found`…), HTTP 200.
   */
  kind: string;
  retryAfter: number;
  times: number;
  used: number;
}

export interface SlackState {
  team: { id: string; name: string; domain: string };
  botUserId: string;
  botId: string;
  appId: string;
  channels: SlackChannel[];
  messages: SlackMessage[];
  faults: SlackFault[];
  /** The last `ts` handed out, so two messages never share one. */
  lastTs: number;
}

const MAX_MESSAGES = 2000;

export function slackState(ctx: SandboxContext): SlackState {
  if (!ctx.state.slack) {
    const now = Math.floor(Date.now() / 1000);
    ctx.state.slack = {
      team: { id: "T0SANDBOX1", name: "Acme (Slack sandbox)", domain: "acme-sandbox" },
      botUserId: "U0PATCHLINE",
      botId: "B0PATCHLINE",
      appId: "A0PATCHLINE",
      channels: [
        {
          id: "C0GENERAL01",
          name: "general",
          isPrivate: false,
          botMember: true,
          archived: false,
          created: now,
        },
        {
          id: "C0BUGS00001",
          name: "bugs",
          isPrivate: false,
          botMember: true,
          archived: false,
          created: now,
        },
        {
          id: "C0ALERTS001",
          name: "alerts",
          isPrivate: false,
          botMember: false,
          archived: false,
          created: now,
        },
        {
          id: "C0RANDOM001",
          name: "random",
          isPrivate: false,
          botMember: false,
          archived: false,
          created: now,
        },
      ],
      messages: [],
      faults: [],
      lastTs: 0,
    };
    ctx.store.changed();
  }
  return ctx.state.slack;
}

/** Slack's error answer: HTTP 200 (or 429) with `{ok: false, error}`. */
export function slackError(error: string, status = 200) {
  return new ProviderError(status, { ok: false, error });
}

/** A new message timestamp: seconds and six digits, strictly increasing. */
export function nextTs(s: SlackState): string {
  const micros = Math.max(Date.now() * 1000, s.lastTs + 1);
  s.lastTs = micros;
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

export function channelJson(s: SlackState, c: SlackChannel) {
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.archived,
    is_general: c.name === "general",
    name_normalized: c.name,
    is_member: c.botMember,
    context_team_id: s.team.id,
    num_members: c.botMember ? 2 : 1,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
  };
}

export function messageJson(s: SlackState, m: SlackMessage, withMetadata: boolean) {
  return {
    type: "message",
    subtype: "bot_message",
    ts: m.ts,
    text: m.text,
    bot_id: m.botId,
    app_id: s.appId,
    user: s.botUserId,
    team: s.team.id,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.edits.length ? { edited: { user: s.botUserId, ts: nextTsPeek(m) } } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}

function nextTsPeek(m: SlackMessage): string {
  const last = m.edits.at(-1);
  return last ? (Date.parse(last.at) / 1000).toFixed(6) : m.ts;
}

export function recordMessage(s: SlackState, m: SlackMessage, ctx: SandboxContext): void {
  s.messages.push(m);
  if (s.messages.length > MAX_MESSAGES) s.messages.splice(0, s.messages.length - MAX_MESSAGES);
  ctx.store.changed();
}

/** The forced fault for this call, if any (and counts its use). */
export function takeFault(
  s: SlackState,
  method: string,
  channel: string | undefined,
): SlackFault | undefined {
  const f = s.faults.find(
    (x) =>
      (x.method === method || x.method === "*") &&
      (x.channel === null || x.channel === channel) &&
      (x.times === 0 || x.used < x.times),
  );
  if (f) f.used += 1;
  return f;
}
