import { ArrowLeftIcon, ExternalLinkIcon, FileCode2Icon, FlagIcon, LockIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { BugStatusBadge, SeverityBadge, TicketStatusBadge } from "@/components/pipeline/badges";
import { Confidence } from "@/components/pipeline/confidence";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import { serverEnv } from "@/lib/env";
import { readGates } from "@/lib/pipeline/gates/settings-store";
import { type BugDetail, getBug, githubLinesUrl } from "@/lib/pipeline-data/bugs";
import { GATE_LABEL, SEVERITY_LABEL, type TicketStatus } from "@/lib/pipeline-data/labels";
import { isRemapping } from "@/lib/pipeline-data/remap";
import { requireOrgPage } from "../../org-pages";
import { BugEditForm } from "./bug-edit-form";
import { FixAttempt } from "./fix-attempt";
import { BugFixBrief } from "./fix-brief";
import { MismappedButton } from "./mismapped-button";
import { ModelHelp } from "./model-help";
import { BugPullRequests } from "./pull-requests";
import { RcaPanel } from "./rca-panel";
import { RemappingNotice } from "./remapping-notice";

export const metadata: Metadata = { title: "Bug" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="mt-1 text-sm whitespace-pre-wrap break-words">{children}</dd>
    </div>
  );
}

/** The fields as text, for viewers (no edit controls). */
function ReadOnlyFields({ bug }: { bug: BugDetail }) {
  return (
    <dl className="grid gap-4" data-testid="bug-fields">
      <Field label="Severity">{SEVERITY_LABEL[bug.severity]}</Field>
      <Field label="Steps to reproduce">
        {bug.steps.length ? (
          <ol className="list-decimal pl-5">
            {bug.steps.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps may repeat; order is identity
              <li key={i}>{s}</li>
            ))}
          </ol>
        ) : (
          "—"
        )}
      </Field>
      <Field label="Expected behaviour">{bug.expected ?? "—"}</Field>
      <Field label="Actual behaviour">{bug.actual ?? "—"}</Field>
      <Field label="Affected feature">{bug.feature ?? "—"}</Field>
      <Field label="Customer impact">{bug.impact ?? "—"}</Field>
    </dl>
  );
}

export default async function BugPage({
  params,
}: {
  params: Promise<{ org: string; bugId: string }>;
}) {
  const { org: slug, bugId } = await params;
  const { org, role, supabase } = await requireOrgPage(slug, "bugs");
  if (!UUID.test(bugId)) notFound();
  const [bug, gates] = await Promise.all([
    getBug(supabase, org.id, bugId),
    // the bars are coloured against the gates that decided this bug
    readGates(supabase, org.id),
  ]);
  if (!bug) notFound();
  const mayEdit = can(role, "bugs.write");
  // any role may flag a mapping as wrong (issue 18); correcting the bug needs bugs.write
  const mayFlag = can(role, "bugs.flag_mismapped");
  const routes = orgRoutes(org.slug);
  const webBase = serverEnv().GITHUB_WEB_BASE;
  const openItems = bug.reviewItems.filter((r) => r.status === "open");
  const remapping = isRemapping(bug);
  return (
    <>
      <div className="mb-4">
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <Link href={routes.bugs}>
            <ArrowLeftIcon aria-hidden="true" />
            All bugs
          </Link>
        </Button>
      </div>
      <PageHeader
        title={bug.title}
        description={
          <span className="flex flex-wrap items-center gap-2" data-testid="bug-summary">
            <SeverityBadge severity={bug.severity} />
            <BugStatusBadge status={bug.status} />
            <span>
              Found <time dateTime={bug.createdAt}>{formatDateTime(bug.createdAt)}</time>
              {bug.editedAt ? " · edited by a person" : ""}
            </span>
          </span>
        }
      />
      {remapping && bug.editedAt ? (
        <RemappingNotice
          editedAt={bug.editedAt}
          supabase={supabase}
          organizationId={org.id}
          bugId={bug.id}
          org={org.slug}
          mayRetry={mayEdit}
        />
      ) : null}
      {openItems.length > 0 ? (
        <Alert variant="info" className="mb-6" data-testid="bug-in-review">
          <FlagIcon aria-hidden="true" />
          <AlertTitle>Waiting for review</AlertTitle>
          <AlertDescription>
            {openItems.map((i) => (
              <p key={i.id}>
                {GATE_LABEL[i.gate]} gate: {i.reason}
              </p>
            ))}
            <p className="mt-1">
              <Link href={routes.review} className="font-medium underline underline-offset-2">
                Open the review queue
              </Link>{" "}
              to accept or dismiss it.
            </p>
          </AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="grid content-start gap-6 lg:col-span-2">
          <Card data-testid="bug-locations" data-remapping={remapping} aria-busy={remapping}>
            <CardHeader>
              <CardTitle>Code locations</CardTitle>
              <CardDescription>
                {remapping
                  ? "From before the last edit: the notice above says how re-mapping is going."
                  : bug.remappedEditAt
                    ? "Re-mapped from the edited bug, best first, at the commit that was indexed."
                    : "Where this bug most likely lives, best first, at the commit that was indexed."}
              </CardDescription>
            </CardHeader>
            {bug.locations.length === 0 ? (
              <CardContent>
                <EmptyState icon={FileCode2Icon} title="No code location" testId="locations-empty">
                  Nothing in the indexed repositories matched this bug well enough. Check that the
                  right repository is selected and indexed on the Codebase page.
                </EmptyState>
              </CardContent>
            ) : (
              <ol className="divide-y border-t">
                {bug.locations.map((l) => {
                  const where = `${l.path}${l.functionName ? ` (${l.functionName})` : ""}`;
                  return (
                    <li
                      key={l.id}
                      className="grid gap-2 px-6 py-4"
                      data-testid="location"
                      data-path={l.path}
                      data-mismapped={l.mismapped}
                    >
                      <div className="flex flex-wrap items-start justify-between gap-3">
                        <div className="min-w-0">
                          <p className="font-mono text-sm break-all">
                            <span className="sr-only">Rank {l.rank}: </span>
                            <span aria-hidden="true" className="text-muted-foreground">
                              {l.rank}.{" "}
                            </span>
                            <span data-testid="location-path">{l.path}</span>
                            <span className="text-muted-foreground">
                              :{l.startLine}–{l.endLine}
                            </span>
                          </p>
                          {l.functionName ? (
                            <p
                              className="mt-0.5 font-mono text-xs text-muted-foreground"
                              data-testid="location-function"
                            >
                              {l.functionName}
                            </p>
                          ) : null}
                        </div>
                        <div className="flex items-center gap-2">
                          <Confidence
                            value={l.confidence}
                            label="Location confidence"
                            gate={gates.mapping}
                          />
                        </div>
                      </div>
                      {l.explanation ? (
                        <p className="text-sm text-muted-foreground" data-testid="location-why">
                          {l.explanation}
                        </p>
                      ) : null}
                      {l.mismapped ? (
                        <p className="text-sm" data-testid="location-mismapped">
                          <Badge variant="destructive" className="mr-2">
                            Mismapped
                          </Badge>
                          {l.mismappedReason}
                        </p>
                      ) : null}
                      <div className="flex flex-wrap items-center gap-2">
                        <Button asChild variant="ghost" size="sm" className="-ml-3">
                          <a
                            href={githubLinesUrl(webBase, l)}
                            target="_blank"
                            rel="noopener noreferrer"
                            data-testid="location-github"
                          >
                            <ExternalLinkIcon aria-hidden="true" />
                            View lines on GitHub
                            <span className="font-mono text-muted-foreground">
                              {l.repository}@{l.commitSha.slice(0, 7)}
                            </span>
                            <span className="sr-only">(opens in a new tab)</span>
                          </a>
                        </Button>
                        {mayFlag ? (
                          <MismappedButton
                            org={org.slug}
                            bugId={bug.id}
                            locationId={l.id}
                            where={where}
                            mismapped={l.mismapped}
                          />
                        ) : null}
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
          </Card>
          <BugPullRequests
            supabase={supabase}
            organizationId={org.id}
            org={org.slug}
            bugId={bug.id}
            mayEdit={mayEdit}
          />
          <BugFixBrief supabase={supabase} organizationId={org.id} bug={bug} webBase={webBase} />
          <RcaPanel
            org={org.slug}
            organizationId={org.id}
            bugId={bug.id}
            title={bug.title}
            role={role}
            supabase={supabase}
          />
          <Card>
            <CardHeader>
              <CardTitle>The bug</CardTitle>
              <CardDescription>
                {mayEdit
                  ? "What Patchline extracted from the ticket. Correct anything it got wrong."
                  : "What Patchline extracted from the ticket."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              {mayEdit ? (
                <BugEditForm org={org.slug} bug={bug} />
              ) : (
                <>
                  <Alert variant="info" className="mb-4" data-testid="bug-read-only">
                    <LockIcon aria-hidden="true" />
                    <AlertDescription>
                      You can read this bug. Members can correct it.
                    </AlertDescription>
                  </Alert>
                  <ReadOnlyFields bug={bug} />
                </>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>In the customer&apos;s words</CardTitle>
              <CardDescription>
                Kept verbatim
                {bug.verbatimLanguage ? ` (language: ${bug.verbatimLanguage})` : ""}.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <blockquote
                className="max-h-80 overflow-auto rounded-md border-l-2 bg-muted/50 px-4 py-3 text-sm whitespace-pre-wrap break-words"
                lang={bug.verbatimLanguage ?? undefined}
                data-testid="bug-verbatim"
              >
                {bug.verbatim || "—"}
              </blockquote>
              {bug.errorMessages.length ? (
                <div className="mt-4">
                  <h3 className="text-xs font-medium text-muted-foreground">Error messages</h3>
                  <ul className="mt-1 grid gap-1">
                    {bug.errorMessages.map((e) => (
                      <li key={e} className="font-mono text-xs break-all">
                        {e}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {bug.stackTraces.length ? (
                <div className="mt-4">
                  <h3 className="text-xs font-medium text-muted-foreground">Stack traces</h3>
                  {bug.stackTraces.map((t, i) => (
                    <pre
                      // biome-ignore lint/suspicious/noArrayIndexKey: traces may repeat
                      key={i}
                      className="mt-1 max-h-60 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs"
                    >
                      {t}
                    </pre>
                  ))}
                </div>
              ) : null}
            </CardContent>
          </Card>
        </div>
        <div className="grid content-start gap-6">
          <FixAttempt
            supabase={supabase}
            org={org}
            bugId={bug.id}
            bugStatus={bug.status}
            mayEdit={mayEdit}
          />
          <Card>
            <CardHeader>
              <CardTitle>Confidence</CardTitle>
              <CardDescription>
                Both must reach the workspace&apos;s gates for a Mapped Bug.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              <div className="flex items-center justify-between gap-2 text-sm">
                <span>Extraction</span>
                <Confidence
                  value={bug.extractionConfidence}
                  label="Extraction confidence"
                  gate={gates.extraction}
                />
              </div>
              <div className="flex items-center justify-between gap-2 text-sm">
                <span>Mapping</span>
                <Confidence
                  value={bug.mappingConfidence}
                  label="Mapping confidence"
                  gate={gates.mapping}
                />
              </div>
              {bug.extractionReasons.length ? (
                <ul className="list-disc pl-5 text-xs text-muted-foreground">
                  {bug.extractionReasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              ) : null}
              {bug.severityCue ? (
                <p className="text-xs text-muted-foreground">
                  Severity from: &ldquo;{bug.severityCue.replace(/^["“]+|["”]+$/g, "")}&rdquo;
                </p>
              ) : null}
            </CardContent>
          </Card>
          <ModelHelp supabase={supabase} organizationId={org.id} bugId={bug.id} />
          <Card data-testid="bug-tickets">
            <CardHeader>
              <CardTitle>Tickets</CardTitle>
              <CardDescription>
                {bug.tickets.length === 1
                  ? "One ticket reports this bug."
                  : `${bug.tickets.length} tickets report this bug.`}
              </CardDescription>
            </CardHeader>
            {bug.tickets.length ? (
              <ul className="divide-y border-t">
                {bug.tickets.map((t) => (
                  <li key={t.id} className="grid gap-1 px-6 py-3" data-testid="bug-ticket">
                    <Link
                      href={routes.ticket(t.id)}
                      className="text-sm font-medium hover:underline"
                    >
                      {t.subject || "(no subject)"}
                    </Link>
                    <span className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                      <TicketStatusBadge status={t.status as TicketStatus} />
                      <span className="capitalize">{t.provider}</span> #{t.externalId}
                      {t.linkReason === "duplicate" ? " · joined as a duplicate" : ""}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>
        </div>
      </div>
    </>
  );
}
