import { LockIcon } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { readFixSettings } from "@/lib/fixes/settings-store";
import { readGates } from "@/lib/pipeline/gates/settings-store";
import { DEFAULT_MODELS } from "@/lib/pipeline/llm/settings";
import { readLlmSettingsView } from "@/lib/pipeline/llm/workspace-settings";
import { requireOrgPage } from "../org-pages";
import { FixSettingsForm } from "./fix-settings-form";
import { GateSettingsForm } from "./gate-settings-form";
import { LlmSettingsForm, LlmTestConnectionForm } from "./llm-settings-form";
import { RenameForm } from "./rename-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, role, supabase } = await requireOrgPage(slug, "settings");
  const mayUpdate = can(role, "organization.update");
  const [llm, fixSettings, gates] = await Promise.all([
    readLlmSettingsView(supabase, org.id),
    readFixSettings(supabase, org.id),
    readGates(supabase, org.id),
  ]);
  const providerName = { none: "Off", anthropic: "Anthropic", openai: "OpenAI" }[llm.provider];
  return (
    <>
      <PageHeader title="Settings" description={`General settings of ${org.name}.`} />
      <div className="grid grid-cols-1 gap-8">
        {mayUpdate ? null : (
          <Alert variant="info" data-testid="settings-read-only">
            <LockIcon aria-hidden="true" />
            <AlertTitle>Read-only</AlertTitle>
            <AlertDescription>
              You are a {ROLE_LABELS[role].toLowerCase()} of this workspace. Ask an owner or admin
              to change its settings.
            </AlertDescription>
          </Alert>
        )}
        <Card>
          <CardHeader>
            <CardTitle>Workspace name</CardTitle>
            <CardDescription>
              Shown in the workspace switcher and in invitation emails.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RenameForm org={org.slug} name={org.name} disabled={!mayUpdate} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Workspace URL</CardTitle>
            <CardDescription>
              Links to this workspace use its URL. It cannot be changed yet.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <code
              className="rounded-md bg-muted px-2 py-1 font-mono text-sm"
              data-testid="settings-slug"
            >
              /{org.slug}
            </code>
          </CardContent>
        </Card>
        <Card data-testid="gate-settings">
          <CardHeader>
            <CardTitle>Pipeline gates</CardTitle>
            <CardDescription>
              Each ticket&apos;s bug gets two confidences: how complete its report is (extraction)
              and how sure the code search is of the top location (mapping). At or above both gates
              it becomes a Mapped Bug; below either, it waits in the review queue.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <GateSettingsForm org={org.slug} gates={gates} disabled={!mayUpdate} />
          </CardContent>
        </Card>
        <Card data-testid="llm-settings">
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              LLM assistance
              <Badge
                variant={llm.provider === "none" ? "secondary" : "success"}
                data-testid="llm-status"
              >
                {llm.provider === "none"
                  ? "Off"
                  : `${providerName} · ${llm.model ?? DEFAULT_MODELS[llm.provider]}`}
              </Badge>
            </CardTitle>
            <CardDescription>
              Optional. Off, every ticket is processed on Patchline only. On, the ticket&apos;s text
              is redacted (emails, phone numbers, cards, keys and tokens are replaced) and sent to
              the provider to fill gaps in the bug report and reorder the code candidates the search
              found. If the provider fails or answers badly, the result without it is kept. Prompts
              and answers are never stored; each bug records the model and token counts.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            {mayUpdate ? (
              <>
                <LlmSettingsForm
                  org={org.slug}
                  provider={llm.provider}
                  model={llm.model}
                  keySetAt={llm.keySetAt}
                  defaultModels={DEFAULT_MODELS}
                />
                {llm.provider === "none" ? null : <LlmTestConnectionForm org={org.slug} />}
              </>
            ) : (
              <p className="text-sm text-muted-foreground" data-testid="llm-read-only">
                {llm.provider === "none"
                  ? "No ticket text leaves Patchline."
                  : `Redacted ticket text is sent to ${providerName}.`}{" "}
                Only owners and admins can change this.
              </p>
            )}
          </CardContent>
        </Card>
        <Card data-testid="fix-settings">
          <CardHeader>
            <CardTitle>Fixes and customer RCAs</CardTitle>
            <CardDescription>
              When Patchline proposes a fix on its own, how often it revises a drafted pull request
              after a review, and when it drafts and publishes the customer RCA.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <FixSettingsForm org={org.slug} settings={fixSettings} disabled={!mayUpdate} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
