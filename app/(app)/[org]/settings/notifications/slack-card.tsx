import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { channelsForSettings } from "@/lib/integrations/slack/connection";
import { readSlackConnection, readSlackRoutes } from "@/lib/notifications/slack/settings";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { SlackChannelsForm } from "./slack-channels-form";
import { SlackConnectButton, SlackDisconnectButton } from "./slack-connect-buttons";

const OUTCOMES: Record<string, { text: string; ok: boolean }> = {
  connected: { text: "Slack connected. Choose a channel for each event below.", ok: true },
  denied: { text: "Slack was not connected: the install was cancelled in Slack.", ok: false },
  failed: { text: "Slack could not be connected. Try again in a moment.", ok: false },
};

/**
 * Settings → Notifications, Slack (owners and admins only; the page renders it for them): the
 * workspace's Slack connection and the channel each event is posted to. Workspace-wide, unlike
 * the personal toggles above it.
 */
export async function SlackCard({
  org,
  userId,
  supabase,
  outcome,
}: {
  org: { id: string; slug: string };
  userId: string;
  supabase: ServerSupabaseClient;
  outcome?: string;
}) {
  const connection = await readSlackConnection(supabase, org.id);
  const told = outcome ? OUTCOMES[outcome] : undefined;
  const listed = connection ? await channelsForSettings({ organizationId: org.id, userId }) : null;
  const routes = connection ? await readSlackRoutes(supabase, org.id) : [];
  return (
    <Card data-testid="slack-card">
      <CardHeader>
        <CardTitle>Slack</CardTitle>
        <CardDescription>
          Post what happens in this workspace to Slack channels, for everyone in them. A new bug's
          message is updated in place as its fix's CI and review progress. Messages say what
          happened and link here; they never quote tickets or name customers.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {told ? (
          <Alert variant={told.ok ? "default" : "destructive"} data-testid="slack-outcome">
            <AlertDescription>{told.text}</AlertDescription>
          </Alert>
        ) : null}
        {!connection ? (
          <>
            <p className="text-sm text-muted-foreground">
              Not connected. Connecting installs the Patchline app in your Slack workspace; then
              choose a channel per event.
            </p>
            <SlackConnectButton org={org.slug} label="Connect Slack" />
          </>
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm" data-testid="slack-status">
                {connection.status === "connected" ? "Connected to " : "Needs reconnecting: "}
                <strong>{connection.teamName}</strong>
                <span className="text-muted-foreground">
                  {" "}
                  since {new Date(connection.connectedAt).toUTCString().slice(5, 16)}
                </span>
              </p>
              <SlackDisconnectButton org={org.slug} />
            </div>
            {connection.status === "error" ? (
              <div className="grid gap-3">
                <Alert variant="destructive" data-testid="slack-error">
                  <AlertDescription>
                    {connection.lastError ?? "Slack refused Patchline's token. Reconnect Slack."}
                  </AlertDescription>
                </Alert>
                <SlackConnectButton org={org.slug} label="Reconnect Slack" />
              </div>
            ) : null}
            {listed && !listed.ok ? (
              <Alert variant="destructive" data-testid="slack-channels-unavailable">
                <AlertDescription>
                  {listed.reason === "refused"
                    ? "Slack refused to list channels. Reconnect Slack."
                    : "Slack did not answer with the channel list. Reload the page in a moment."}
                </AlertDescription>
              </Alert>
            ) : null}
            {listed?.ok ? (
              <SlackChannelsForm
                org={org.slug}
                rows={routes}
                channels={listed.channels.map((c) => ({ ...c }))}
              />
            ) : null}
          </>
        )}
      </CardContent>
    </Card>
  );
}
