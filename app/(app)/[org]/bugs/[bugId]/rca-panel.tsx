import {
  CircleCheckIcon,
  ClockIcon,
  FileTextIcon,
  RocketIcon,
  SparklesIcon,
  Undo2Icon,
} from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, type Role } from "@/lib/auth/permissions";
import { RCA_MESSAGES } from "@/lib/fixes/rca/messages";
import { type DeployDisplay, readRcaPanel } from "@/lib/fixes/rca-jobs/panel-data";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { RcaActionButton, RcaEditor } from "./rca-panel-forms";

/**
 * The bug page's fix-in-production panel: the deploy state (shipped / waiting / rolled back), the
 * customer RCA with its five editable sections (members), approval (owners, admins), a preview of
 * the posted text per language of the linked tickets, and the publish history per ticket.
 */

const DEPLOY: Record<
  DeployDisplay,
  {
    label: string;
    variant: "success" | "warning" | "destructive" | "secondary";
    icon: typeof RocketIcon;
  }
> = {
  no_fix: { label: "No fix linked", variant: "secondary", icon: ClockIcon },
  waiting: { label: "Waiting for a production deploy", variant: "warning", icon: ClockIcon },
  shipped: { label: "Shipped to production", variant: "success", icon: RocketIcon },
  rolled_back: { label: "Rolled back", variant: "destructive", icon: Undo2Icon },
};

const STATUS_LABEL = {
  draft: "Draft",
  approved: "Approved",
  published: "Published",
  parked: "Parked",
} as const;

const LANGUAGE_NAME: Record<string, string> = {
  en: "English",
  es: "Spanish",
  de: "German",
  fr: "French",
  pt: "Portuguese",
  hi: "Hindi",
  ja: "Japanese",
};

export async function RcaPanel({
  org,
  organizationId,
  bugId,
  title,
  role,
  supabase,
}: {
  org: string;
  organizationId: string;
  bugId: string;
  title: string;
  role: Role;
  supabase: ServerSupabaseClient;
}) {
  const data = await readRcaPanel(supabase, organizationId, bugId, title);
  const deploy = DEPLOY[data.deploy.state];
  const DeployIcon = deploy.icon;
  const rca = data.rca;
  const mayEdit = can(role, "bugs.write");
  const mayApprove = can(role, "rcas.approve");
  const needsUpdate =
    rca !== null && rca.publishedVersion !== null && rca.version !== rca.publishedVersion;
  return (
    <Card data-testid="rca-panel">
      <CardHeader>
        <CardTitle>Fix in production and the customer RCA</CardTitle>
        <CardDescription>
          Customers hear &ldquo;fixed&rdquo; only once a production deploy contains the fix
          {data.approvalRequired ? " and an owner or admin approved the RCA" : ""}.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <section aria-labelledby="deploy-state" className="grid gap-2">
          <h3 id="deploy-state" className="text-sm font-medium">
            Deploy state
          </h3>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge
              variant={deploy.variant}
              data-testid="deploy-state"
              data-state={data.deploy.state}
            >
              <DeployIcon aria-hidden="true" />
              {deploy.label}
            </Badge>
            {data.deploy.state === "shipped" && data.deploy.shippedAt ? (
              <span className="text-muted-foreground">
                since{" "}
                <time dateTime={data.deploy.shippedAt}>
                  {formatDateTime(data.deploy.shippedAt)}
                </time>
                {data.deploy.deployedSha ? (
                  <span className="font-mono"> · {data.deploy.deployedSha.slice(0, 7)}</span>
                ) : null}
              </span>
            ) : null}
          </p>
          {data.deploy.pullRequests.length ? (
            <ul className="grid gap-1 text-sm">
              {data.deploy.pullRequests.map((p) => (
                <li key={`${p.repository}#${p.number}`}>
                  <a
                    href={p.url}
                    className="underline underline-offset-2"
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    {p.repository}#{p.number}
                    <span className="sr-only">(opens in a new tab)</span>
                  </a>{" "}
                  <span className="text-muted-foreground">
                    {p.state} ·{" "}
                    {p.deployState === "not_yet"
                      ? "not in production yet"
                      : p.deployState.replace("_", " ")}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        {!rca ? (
          <EmptyState icon={FileTextIcon} title="No RCA yet" testId="rca-empty">
            <span data-testid="rca-empty-reason" data-reason={data.noRca?.reason}>
              {data.noRca?.text}
            </span>
          </EmptyState>
        ) : (
          <>
            <section aria-labelledby="rca-status" className="grid gap-3">
              <h3 id="rca-status" className="flex flex-wrap items-center gap-2 text-sm font-medium">
                RCA
                <Badge
                  variant={
                    rca.status === "published"
                      ? "success"
                      : rca.status === "parked"
                        ? "destructive"
                        : rca.status === "approved"
                          ? "default"
                          : "secondary"
                  }
                  data-testid="rca-status"
                  data-status={rca.status}
                >
                  {rca.status === "approved" ? <CircleCheckIcon aria-hidden="true" /> : null}
                  {STATUS_LABEL[rca.status]}
                </Badge>
                <span className="text-xs font-normal text-muted-foreground">
                  version {rca.version}
                </span>
              </h3>
              {rca.draftSource === "llm" && !rca.editedAt ? (
                <p
                  className="flex items-center gap-1 text-xs text-muted-foreground"
                  data-testid="rca-draft-source"
                  data-source="llm"
                >
                  <SparklesIcon className="size-3.5" aria-hidden="true" />
                  Drafted by the workspace&apos;s LLM from the bug&apos;s redacted fields and the
                  fix&apos;s dates, and checked for code names. Read it before approving.
                </p>
              ) : null}
              {rca.draftSource === "offline_fallback" && !rca.editedAt ? (
                <Alert variant="info" data-testid="rca-draft-source" data-source="offline_fallback">
                  <AlertTitle>Drafted from the offline template</AlertTitle>
                  <AlertDescription>
                    {rca.draftNote ?? "The model's draft could not be used."}
                  </AlertDescription>
                </Alert>
              ) : null}
              {rca.status === "parked" && rca.parkedReason ? (
                <Alert variant="destructive" data-testid="rca-parked">
                  <Undo2Icon aria-hidden="true" />
                  <AlertTitle>Parked</AlertTitle>
                  <AlertDescription>{rca.parkedReason}</AlertDescription>
                </Alert>
              ) : null}
              {needsUpdate ? (
                <Alert variant="info" data-testid="rca-needs-update">
                  <AlertDescription>
                    Customers have version {rca.publishedVersion}. This edited version goes out only
                    when an owner or admin publishes the update
                    {data.approvalRequired ? " (after approving it)" : ""}.
                  </AlertDescription>
                </Alert>
              ) : null}
              {mayApprove && rca.status === "draft" && (data.approvalRequired || !needsUpdate) ? (
                <RcaActionButton org={org} bugId={bugId} version={rca.version} kind="approve" />
              ) : null}
              {mayApprove &&
              needsUpdate &&
              (!data.approvalRequired || rca.status === "approved") ? (
                <RcaActionButton
                  org={org}
                  bugId={bugId}
                  version={rca.version}
                  kind="publish_update"
                />
              ) : null}
            </section>

            {mayEdit && rca.status !== "parked" ? (
              <RcaEditor org={org} bugId={bugId} version={rca.version} sections={rca.sections} />
            ) : (
              <dl className="grid gap-3" data-testid="rca-read-only">
                {(["customer_impact", "timeline", "root_cause", "fix", "prevention"] as const).map(
                  (k) => (
                    <div key={k}>
                      <dt className="text-xs font-medium text-muted-foreground">
                        {RCA_MESSAGES.en.headings[k]}
                      </dt>
                      <dd className="mt-1 text-sm whitespace-pre-wrap">{rca.sections[k]}</dd>
                    </div>
                  ),
                )}
              </dl>
            )}

            <section aria-labelledby="rca-preview" className="grid gap-2">
              <h3 id="rca-preview" className="text-sm font-medium">
                Preview per language
              </h3>
              {data.previews.map((p) => (
                <details
                  key={p.language}
                  className="rounded-md border"
                  data-testid="rca-preview"
                  data-language={p.language}
                >
                  <summary className="cursor-pointer px-3 py-2 text-sm">
                    {LANGUAGE_NAME[p.language] ?? p.language}
                    <span className="text-muted-foreground">
                      {" "}
                      · {p.tickets === 1 ? "1 ticket" : `${p.tickets} tickets`}
                    </span>
                  </summary>
                  <pre
                    className="border-t bg-muted/40 px-3 py-2 font-sans text-sm break-words whitespace-pre-wrap"
                    lang={p.language}
                  >
                    {p.text}
                  </pre>
                </details>
              ))}
            </section>

            <section aria-labelledby="rca-history" className="grid gap-2">
              <h3 id="rca-history" className="text-sm font-medium">
                Publish history
              </h3>
              {data.history.length === 0 ? (
                <p className="text-sm text-muted-foreground" data-testid="rca-history-empty">
                  Not posted to any ticket yet.
                </p>
              ) : (
                <ul className="divide-y rounded-md border text-sm" data-testid="rca-history">
                  {data.history.map((h) => (
                    <li
                      key={h.id}
                      className="flex flex-wrap items-center justify-between gap-2 px-3 py-2"
                      data-testid="rca-publication"
                      data-status={h.status}
                    >
                      <span>
                        {h.ticketLabel}
                        <span className="text-muted-foreground">
                          {" "}
                          · {LANGUAGE_NAME[h.language] ?? h.language} · version {h.version}
                        </span>
                      </span>
                      <span className="flex items-center gap-2">
                        <Badge
                          variant={
                            h.status === "sent"
                              ? "success"
                              : h.status === "failed"
                                ? "destructive"
                                : "secondary"
                          }
                        >
                          {h.status === "sent"
                            ? "Posted"
                            : h.status === "failed"
                              ? "Refused, will retry"
                              : "Sending"}
                        </Badge>
                        <time dateTime={h.at} className="text-xs text-muted-foreground">
                          {formatDateTime(h.at)}
                        </time>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </CardContent>
    </Card>
  );
}
