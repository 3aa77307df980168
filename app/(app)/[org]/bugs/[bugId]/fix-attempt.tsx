import type { SupabaseClient } from "@supabase/supabase-js";
import {
  CheckCircle2Icon,
  ExternalLinkIcon,
  GitPullRequestDraftIcon,
  Loader2Icon,
  TriangleAlertIcon,
} from "lucide-react";
import { formatDateTime } from "@/components/format-date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FAILURE_LABEL, readFixAttempts } from "@/lib/fixes/attempts/read";
import { readLlmSettingsView } from "@/lib/pipeline/llm/workspace-settings";
import type { Database } from "@/lib/supabase/database.types";
import { RefreshWhileIndexing } from "../../codebase/refresh-while-indexing";
import { FixAttemptButton } from "./fix-attempt-button";

const STALE_QUEUED_MS = 5 * 60_000;
const PROVIDER_LABEL: Record<string, string> = { anthropic: "Anthropic", openai: "OpenAI" };

/**
 * The bug page's "Fix" card (issue 17): with an LLM provider, "Propose a fix" starts a fix
 * attempt (automatic above the auto-fix threshold); the card follows its progress, lists the
 * draft pull requests it opened (one per repository), or says why it failed, with a retry.
 * Without a provider it says so: the fix brief and linking a PR are the way then.
 */
export async function FixAttempt({
  supabase,
  org,
  bugId,
  bugStatus,
  mayEdit,
}: {
  supabase: SupabaseClient<Database>;
  org: { id: string; slug: string };
  bugId: string;
  bugStatus: string;
  mayEdit: boolean;
}) {
  const [{ latest, drafted }, llm] = await Promise.all([
    readFixAttempts(supabase, org.id, bugId),
    readLlmSettingsView(supabase, org.id),
  ]);
  const stale =
    latest?.status === "queued" && Date.now() - Date.parse(latest.createdAt) > STALE_QUEUED_MS;
  const inFlight = !stale && (latest?.status === "queued" || latest?.status === "running");
  const hasProvider = llm.provider !== "none";
  const mapped = bugStatus === "mapped";
  return (
    <Card data-testid="fix-attempt" data-status={latest?.status ?? "none"}>
      <CardHeader>
        <CardTitle>Fix</CardTitle>
        <CardDescription>
          {hasProvider
            ? `Patchline can ask ${PROVIDER_LABEL[llm.provider] ?? llm.provider} for a patch and a test, and open a draft pull request per repository for your team to review.`
            : "No LLM provider is set, so Patchline proposes no patch. Use the fix brief, or link your own pull request."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <RefreshWhileIndexing active={inFlight} />
        {inFlight ? (
          <p
            className="flex items-center gap-2 text-sm"
            role="status"
            data-testid="fix-attempt-progress"
          >
            <Loader2Icon className="size-4 animate-spin" aria-hidden="true" />
            {latest?.progress ?? "Queued"}…
          </p>
        ) : null}
        {latest?.status === "failed" || stale ? (
          <Alert variant="destructive" data-testid="fix-attempt-failed">
            <TriangleAlertIcon aria-hidden="true" />
            <AlertTitle>
              {stale
                ? "The attempt did not start"
                : FAILURE_LABEL[latest?.failureKind ?? "github_error"]}
            </AlertTitle>
            <AlertDescription>
              <p data-testid="fix-attempt-failure-detail">
                {stale ? "It stayed queued. Retry it." : latest?.failureDetail}
              </p>
              {latest?.finishedAt ? (
                <p className="text-xs">
                  <time dateTime={latest.finishedAt}>{formatDateTime(latest.finishedAt)}</time>
                </p>
              ) : null}
            </AlertDescription>
          </Alert>
        ) : null}
        {latest?.status === "opened" ? (
          <p className="flex items-center gap-2 text-sm" data-testid="fix-attempt-opened">
            <CheckCircle2Icon className="size-4 text-emerald-600" aria-hidden="true" />
            Draft pull requests opened
            {latest.trigger === "auto" ? " automatically (above the auto-fix threshold)" : ""}.
          </p>
        ) : null}
        {drafted.length ? (
          <ul className="grid gap-2" data-testid="fix-attempt-prs">
            {drafted.map((pr) => (
              <li
                key={pr.repository}
                className="grid gap-1 rounded-md border p-3 text-sm"
                data-testid="fix-attempt-pr"
              >
                <div className="flex flex-wrap items-center gap-2">
                  <GitPullRequestDraftIcon className="size-4" aria-hidden="true" />
                  <a
                    href={pr.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="font-medium underline underline-offset-2"
                  >
                    {pr.repository}#{pr.number}
                    <ExternalLinkIcon className="ml-1 inline size-3" aria-hidden="true" />
                    <span className="sr-only">(opens in a new tab)</span>
                  </a>
                  <Badge variant="secondary">{pr.state === "draft" ? "Draft" : pr.state}</Badge>
                  {pr.reviewState === "review_requested" ? (
                    <Badge variant="outline">Review requested</Badge>
                  ) : null}
                </div>
                {pr.title ? <p className="font-mono text-xs">{pr.title}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {mayEdit && hasProvider && mapped && (!latest || latest.status === "failed" || stale) ? (
          <FixAttemptButton
            org={org.slug}
            bugId={bugId}
            label={latest ? "Retry the fix" : "Propose a fix"}
          />
        ) : null}
        {!mapped && hasProvider ? (
          <p className="text-sm text-muted-foreground">
            Only a Mapped Bug gets a proposed fix: review it first.
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
