"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { fieldErrorsOf, formMessage } from "@/lib/auth/action-state";
import { saveSlackChannels } from "./actions";

export interface SlackChannelOption {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
}

export interface SlackRouteRow {
  type: string;
  label: string;
  description: string;
  adminOnly: boolean;
  channelId: string | null;
  channelName: string | null;
  deliveryError: "not_in_channel" | "channel_not_found" | "is_archived" | null;
}

/**
 * Why Patchline cannot post to a chosen channel, in words, with what to do: Slack answered
 * `not_in_channel` (or the channel list says the bot is not a member), or the channel is gone.
 */
function hintFor(row: SlackRouteRow, channel: SlackChannelOption | undefined): string | null {
  const name = `#${channel?.name ?? row.channelName}`;
  if (!row.channelId) return null;
  if (row.deliveryError === "channel_not_found" || row.deliveryError === "is_archived" || !channel)
    return `${name} was not found in Slack (deleted or archived). Choose another channel.`;
  if (row.deliveryError === "not_in_channel" || !channel.isMember)
    return `Patchline is not in ${name}, so it cannot post there. In Slack, open ${name} and type /invite @Patchline.`;
  return null;
}

export function SlackChannelsForm({
  org,
  rows,
  channels,
}: {
  org: string;
  rows: SlackRouteRow[];
  channels: SlackChannelOption[];
}) {
  const [state, action] = useToastedAction(saveSlackChannels);
  const errors = fieldErrorsOf(state);
  const message = formMessage(state);
  const byId = new Map(channels.map((c) => [c.id, c]));
  return (
    <form action={action} className="grid gap-4" data-testid="slack-channels">
      <input type="hidden" name="org" value={org} />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b text-left text-muted-foreground">
              <th scope="col" className="py-2 pr-4 font-medium">
                Event
              </th>
              <th scope="col" className="w-64 py-2 font-medium">
                Slack channel
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const field = `channel.${row.type}`;
              const hint = hintFor(row, row.channelId ? byId.get(row.channelId) : undefined);
              const error = errors[field]?.[0];
              return (
                <tr
                  key={row.type}
                  className="border-b last:border-0"
                  data-testid={`slack-row-${row.type}`}
                >
                  <th scope="row" className="py-3 pr-4 text-left align-top font-normal">
                    <span className="flex items-center gap-2 font-medium">
                      {row.label}
                      {row.adminOnly ? <Badge variant="secondary">Owners and admins</Badge> : null}
                    </span>
                    <span className="text-muted-foreground">{row.description}</span>
                  </th>
                  <td className="py-3 align-top">
                    <label htmlFor={field} className="sr-only">
                      Slack channel for {row.label}
                    </label>
                    <Select
                      // a saved choice remounts the select: an uncontrolled select keeps the
                      // default it mounted with, and React resets the form after the action
                      key={`${row.type}:${row.channelId ?? ""}`}
                      id={field}
                      name={field}
                      defaultValue={row.channelId ?? ""}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={hint || error ? `${field}-hint` : undefined}
                      data-testid={`slack-channel-${row.type}`}
                    >
                      <option value="">Not posted to Slack</option>
                      {row.channelId && !byId.has(row.channelId) ? (
                        <option value={row.channelId}>#{row.channelName} (not found)</option>
                      ) : null}
                      {channels.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.isPrivate ? "🔒" : "#"}
                          {c.name}
                          {c.isMember ? "" : " (invite Patchline)"}
                        </option>
                      ))}
                    </Select>
                    {error || hint ? (
                      <p
                        id={`${field}-hint`}
                        className={
                          error ? "mt-1 text-xs text-destructive" : "mt-1 text-xs text-amber-700"
                        }
                        data-testid={`slack-hint-${row.type}`}
                      >
                        {error ?? hint}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {message && state.status === "error" ? (
        <Alert variant="destructive" data-testid="slack-channels-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Saving…" data-testid="slack-channels-save">
          Save Slack channels
        </SubmitButton>
      </div>
    </form>
  );
}
