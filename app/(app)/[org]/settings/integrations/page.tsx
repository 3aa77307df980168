import { CheckCircle2Icon, TriangleAlertIcon } from "lucide-react";
import type { Metadata } from "next";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  type IntegrationSummary,
  listLiveIntegrations,
  listRepositories,
  providerDisconnectReason,
} from "@/lib/integrations/overview";
import { lastRotation } from "@/lib/integrations/rotation-status";
import { listMembers } from "@/lib/organizations/members";
import { requireOrgPage } from "../../org-pages";
import { ConnectButton } from "./connect-button";
import { DeliveryLog } from "./delivery-log";
import { DisconnectButton } from "./disconnect-button";
import { IntercomTeamForm } from "./intercom-team-form";
import { ProviderCard } from "./provider-card";
import { RepositoryForm } from "./repository-form";
import { RotateKeysForm } from "./rotate-keys-form";
import { ZendeskConnectForm } from "./zendesk-connect-form";

export const metadata: Metadata = { title: "Integrations" };

const NAMES = { zendesk: "Zendesk", intercom: "Intercom", github: "GitHub" } as const;
type Provider = keyof typeof NAMES;

/** The callbacks come back with a fixed outcome code; only these sentences are ever shown. */
const OUTCOMES: Record<string, (name: string) => string> = {
  denied: (name) => `${name} did not grant access, so nothing was connected.`,
  conflict: (name) =>
    `${name} could not be connected: this workspace already has one connected, or that account belongs to another workspace.`,
  failed: (name) => `${name} could not be connected. Nothing was stored; try again in a moment.`,
};

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

function isProvider(value: unknown): value is Provider {
  return typeof value === "string" && value in NAMES;
}

/** Owners and admins only; for other roles this page does not exist (404). */
export default async function IntegrationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org: slug } = await params;
  const query = await searchParams;
  const { org, supabase } = await requireOrgPage(slug, "integrations");
  const [integrations, members, rotation] = await Promise.all([
    listLiveIntegrations(supabase, org.id),
    listMembers(supabase, org.id),
    lastRotation(supabase, org.id),
  ]);
  const emails = new Map(members.map((m) => [m.user_id, m.email]));
  const of = (p: Provider) => integrations.find((i) => i.provider === p);
  const zendesk = of("zendesk");
  const intercom = of("intercom");
  const github = of("github");
  const [repositories, githubEnded] = await Promise.all([
    github ? listRepositories(supabase, org.id, github.id) : [],
    github ? null : providerDisconnectReason(supabase, org.id, "github"),
  ]);
  const support = zendesk ?? intercom;
  const by = (i: IntegrationSummary | undefined) =>
    i?.connectedBy ? emails.get(i.connectedBy) : undefined;

  const connected = isProvider(query.connected) ? query.connected : undefined;
  const failed = isProvider(query.error) ? query.error : undefined;
  const outcome = str(query.outcome);
  const deliveryLog = (provider: Provider) => (
    <DeliveryLog
      supabase={supabase}
      organizationId={org.id}
      orgSlug={org.slug}
      provider={provider}
      providerName={NAMES[provider]}
      query={query}
    />
  );
  const intercomTeams = Array.isArray(intercom?.account.teams)
    ? (intercom.account.teams as { id: string; name: string }[])
    : [];

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect one support tool (Zendesk or Intercom) so tickets reach Patchline, and the GitHub App so bugs are mapped into your code. Tokens and secrets are stored encrypted and never shown."
      />
      <div className="grid grid-cols-1 gap-6">
        {connected ? (
          <Alert variant="success" data-testid="integration-connected">
            <CheckCircle2Icon aria-hidden="true" />
            <AlertTitle>
              {NAMES[connected]} {outcome === "updated" ? "updated" : "connected"}
            </AlertTitle>
            {/* full opacity: the success colour on its tint needs it for AA contrast */}
            <AlertDescription className="opacity-100">
              {connected === "github"
                ? "Check the repositories Patchline should read below."
                : connected === "intercom"
                  ? "Pick the team whose conversations reach Patchline."
                  : "New and updated tickets now reach Patchline."}
            </AlertDescription>
          </Alert>
        ) : null}
        {failed ? (
          <Alert variant="destructive" data-testid="integration-failed">
            <TriangleAlertIcon aria-hidden="true" />
            <AlertTitle>{NAMES[failed]} was not connected</AlertTitle>
            <AlertDescription>
              {(OUTCOMES[outcome ?? "failed"] ?? OUTCOMES.failed!)(NAMES[failed])}
            </AlertDescription>
          </Alert>
        ) : null}

        <ProviderCard
          provider="zendesk"
          title="Zendesk"
          description="Patchline reads new tickets and comments through a webhook it creates in your Zendesk, and posts the fix back to the ticket."
          integration={zendesk}
          account={
            zendesk
              ? `${str(zendesk.account.subdomain) ?? zendesk.externalAccountId}.zendesk.com`
              : undefined
          }
          connectedBy={by(zendesk)}
          deliveryLog={deliveryLog("zendesk")}
        >
          {zendesk ? (
            <div>
              <DisconnectButton org={org.slug} provider="zendesk" label="Zendesk" />
            </div>
          ) : intercom ? (
            <p className="text-sm text-muted-foreground" data-testid="zendesk-blocked">
              Intercom is this workspace’s support tool. Disconnect it to use Zendesk instead.
            </p>
          ) : (
            <ZendeskConnectForm org={org.slug} disabled={Boolean(support)} />
          )}
        </ProviderCard>

        <ProviderCard
          provider="intercom"
          title="Intercom"
          description="Patchline reads conversations of the team you pick and replies when the fix ships."
          integration={intercom}
          account={
            intercom
              ? [str(intercom.account.workspace_name), str(intercom.account.team_name)]
                  .filter(Boolean)
                  .join(" · ") || undefined
              : undefined
          }
          connectedBy={by(intercom)}
          deliveryLog={deliveryLog("intercom")}
        >
          {intercom ? (
            <div className="grid gap-4">
              {str(intercom.account.team_id) ? null : (
                <Alert variant="info" data-testid="intercom-team-needed">
                  <AlertDescription>
                    Pick a team: until then no conversation reaches Patchline.
                  </AlertDescription>
                </Alert>
              )}
              <IntercomTeamForm
                org={org.slug}
                teams={intercomTeams}
                current={str(intercom.account.team_id) ?? null}
              />
              <div>
                <DisconnectButton org={org.slug} provider="intercom" label="Intercom" />
              </div>
            </div>
          ) : zendesk ? (
            <p className="text-sm text-muted-foreground" data-testid="intercom-blocked">
              Zendesk is this workspace’s support tool. Disconnect it to use Intercom instead.
            </p>
          ) : (
            <ConnectButton org={org.slug} flow="intercom" />
          )}
        </ProviderCard>

        <ProviderCard
          provider="github"
          title="GitHub"
          description="The Patchline GitHub App reads the repositories you choose, maps each bug to the code responsible and opens draft pull requests."
          integration={github}
          account={github ? str(github.account.login) : undefined}
          connectedBy={by(github)}
          deliveryLog={deliveryLog("github")}
        >
          {github ? (
            <div className="grid gap-4">
              {repositories.length > 0 ? (
                <RepositoryForm org={org.slug} repositories={repositories} />
              ) : (
                <p className="text-sm text-muted-foreground" data-testid="github-no-repositories">
                  The installation sees no repository yet. Give it access to some on GitHub.
                </p>
              )}
              <div className="flex flex-wrap gap-2">
                <ConnectButton org={org.slug} flow="github-access" variant="outline" />
                <DisconnectButton org={org.slug} provider="github" label="GitHub" />
              </div>
            </div>
          ) : (
            <div className="grid gap-4">
              {githubEnded ? (
                <Alert variant="destructive" data-testid="github-disconnect-reason">
                  <AlertDescription>
                    {githubEnded.reason}{" "}
                    <span className="text-muted-foreground">
                      (<time dateTime={githubEnded.at}>{formatDateTime(githubEnded.at)}</time>)
                    </span>
                  </AlertDescription>
                </Alert>
              ) : null}
              <div>
                <ConnectButton org={org.slug} flow="github" />
              </div>
            </div>
          )}
        </ProviderCard>

        <Card data-testid="rotate-keys-card">
          <CardHeader>
            <CardTitle>Encryption keys</CardTitle>
            <CardDescription>
              Tokens and secrets are encrypted with the active key. After a new key is added,
              re-encrypt this workspace’s secrets that still use an old one.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 text-sm">
            <p data-testid="rotate-keys-last">
              {rotation ? (
                <>
                  Last re-encryption{" "}
                  <time dateTime={rotation.at}>{formatDateTime(rotation.at)}</time>:{" "}
                  {rotation.scanned} checked, {rotation.rotated} re-encrypted, {rotation.failed}{" "}
                  failed{rotation.keyId ? ` (key ${rotation.keyId})` : ""}.
                </>
              ) : (
                <span className="text-muted-foreground">
                  No secret of this workspace has needed re-encrypting yet.
                </span>
              )}
            </p>
            <RotateKeysForm org={org.slug} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
