import {
  CircleCheckIcon,
  CircleDashedIcon,
  CircleXIcon,
  ExternalLinkIcon,
  GitMergeIcon,
  GitPullRequestClosedIcon,
  GitPullRequestDraftIcon,
  GitPullRequestIcon,
  MessageSquareIcon,
  RefreshCwIcon,
} from "lucide-react";
import { formatDateTime } from "@/components/format-date";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { CheckEntry } from "@/lib/fixes/pull-requests/checks";
import { type BugPullRequest, listBugPullRequests } from "@/lib/fixes/pull-requests/read";
import type { ReviewerState } from "@/lib/fixes/pull-requests/reviews";
import {
  type BugReviewRounds,
  listBugReviewRounds,
  type ReviewRoundView,
} from "@/lib/fixes/reviews/read";
import { listRepositoryNames } from "@/lib/pipeline-data/bugs";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { LinkPullRequestForm, UnlinkPullRequestButton } from "./pull-request-forms";

/**
 * The bug's pull request stack (one per repository): state, CI checks by name, review state by
 * reviewer, the reviews that asked for changes and what Patchline did with each (a new commit per
 * round, or shown only), the latest comments, a link to GitHub; and, for members, linking another one. What
 * GitHub reports arrives through its deliveries (inngest/functions/github-pr-activity.ts).
 */

const STATE = {
  open: { label: "Open", icon: GitPullRequestIcon, variant: "success" },
  draft: { label: "Draft", icon: GitPullRequestDraftIcon, variant: "secondary" },
  merged: { label: "Merged", icon: GitMergeIcon, variant: "default" },
  closed: { label: "Closed", icon: GitPullRequestClosedIcon, variant: "destructive" },
} as const;

const CHECKS = {
  none: { label: "No checks yet", variant: "outline" },
  pending: { label: "Checks running", variant: "warning" },
  passing: { label: "Checks passing", variant: "success" },
  failing: { label: "Checks failing", variant: "destructive" },
} as const;

const REVIEW = {
  none: { label: "No review yet", variant: "outline" },
  review_requested: { label: "Review requested", variant: "warning" },
  changes_requested: { label: "Changes requested", variant: "destructive" },
  approved: { label: "Approved", variant: "success" },
} as const;

const REVIEWER: Record<ReviewerState, string> = {
  requested: "review requested",
  approved: "approved",
  changes_requested: "requested changes",
  commented: "commented",
  dismissed: "review dismissed",
};

function CheckLine({ check }: { check: CheckEntry }) {
  const Icon =
    check.outcome === "passing"
      ? CircleCheckIcon
      : check.outcome === "failing"
        ? CircleXIcon
        : CircleDashedIcon;
  const tone =
    check.outcome === "passing"
      ? "text-success"
      : check.outcome === "failing"
        ? "text-destructive"
        : "text-warning";
  const word =
    check.outcome === "pending" ? "running" : (check.conclusion ?? check.outcome).replace("_", " ");
  return (
    <li
      className="flex items-center gap-2 text-sm"
      data-testid="pr-check"
      data-name={check.name}
      data-outcome={check.outcome}
    >
      <Icon className={`size-4 shrink-0 ${tone}`} aria-hidden="true" />
      <span className="min-w-0 truncate font-mono text-xs">{check.name}</span>
      <span className="text-xs text-muted-foreground">{word}</span>
      {check.url ? (
        <a
          href={check.url}
          target="_blank"
          rel="noopener noreferrer"
          className="ml-auto text-xs text-muted-foreground underline-offset-2 hover:underline"
        >
          Details<span className="sr-only"> of {check.name} (opens in a new tab)</span>
        </a>
      ) : null}
    </li>
  );
}

const SHOWN_REASON = {
  limit_reached:
    "not re-patched: the workspace's limit of review rounds is reached. Address it by hand.",
  no_provider: "not re-patched: no LLM provider is set for this workspace. Address it by hand.",
} as const;

/** One review asking for changes and what Patchline did with it, in words (not colour alone). */
function RoundLine({ r, max }: { r: ReviewRoundView; max: number }) {
  const who = <span className="font-medium">@{r.reviewer}</span>;
  let what: React.ReactNode;
  let tone = "text-muted-foreground";
  if (r.status === "pushed")
    what = (
      <>
        round {r.round} of {max}: a new commit{" "}
        <span className="font-mono">{r.commitSha?.slice(0, 7)}</span> on the branch
      </>
    );
  else if (r.status === "running")
    what = (
      <>
        round {r.round} of {max}: Patchline is revising the patch…
      </>
    );
  else if (r.status === "shown") {
    what = SHOWN_REASON[r.reason ?? "limit_reached"];
    tone = "text-warning";
  } else {
    what = <>the revised patch could not be made. {r.failureDetail}</>;
    tone = "text-destructive";
  }
  return (
    <li
      className="text-sm"
      data-testid="pr-review-round"
      data-status={r.status}
      data-round={r.round ?? ""}
    >
      {who} <span className="text-muted-foreground">asked for changes</span>{" "}
      <span className="text-xs text-muted-foreground">
        (<time dateTime={r.at}>{formatDateTime(r.at)}</time>)
      </span>
      {" — "}
      <span className={tone}>{what}</span>
    </li>
  );
}

function ReviewRounds({
  rounds,
  max,
  label,
}: {
  rounds: ReviewRoundView[];
  max: number;
  label: string;
}) {
  const used = rounds.filter((r) => r.round !== null).length;
  return (
    <section
      aria-label={`Review rounds of ${label}`}
      className="grid gap-2"
      data-testid="pr-review-rounds"
    >
      <h4 className="flex items-center gap-1 text-xs font-medium text-muted-foreground">
        <RefreshCwIcon className="size-3.5" aria-hidden="true" />
        Review rounds: {used} of {max} used
      </h4>
      <ul className="grid gap-1">
        {rounds.map((r) => (
          <RoundLine key={r.id} r={r} max={max} />
        ))}
      </ul>
    </section>
  );
}

function PullRequestItem({
  pr,
  org,
  bugId,
  mayEdit,
  rounds,
  roundsMax,
}: {
  pr: BugPullRequest;
  org: string;
  bugId: string;
  mayEdit: boolean;
  rounds: ReviewRoundView[];
  roundsMax: number;
}) {
  const state = STATE[pr.state];
  const StateIcon = state.icon;
  const label = `${pr.repository}#${pr.number}`;
  const reviewers = pr.reviews.filter((r) => r.state !== "dismissed");
  return (
    <li
      className="grid gap-3 px-6 py-4"
      data-testid="pull-request"
      data-repository={pr.repository}
      data-number={pr.number}
      data-state={pr.state}
      data-checks={pr.checksState}
      data-review={pr.reviewState}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <Badge variant={state.variant} data-testid="pr-state">
              <StateIcon aria-hidden="true" />
              {state.label}
            </Badge>
            <a
              href={pr.url}
              target="_blank"
              rel="noopener noreferrer"
              className="inline-flex items-center gap-1 font-mono text-sm font-medium hover:underline"
              data-testid="pr-link"
            >
              {label}
              <ExternalLinkIcon className="size-3.5" aria-hidden="true" />
              <span className="sr-only">(opens GitHub in a new tab)</span>
            </a>
          </p>
          {pr.title ? <p className="mt-1 text-sm break-words">{pr.title}</p> : null}
          <p className="mt-0.5 text-xs text-muted-foreground">
            {pr.origin === "drafted" ? "Drafted by Patchline" : "Linked by a person"}
            {pr.headBranch ? (
              <>
                {" · "}
                <span className="font-mono">{pr.headBranch}</span>
              </>
            ) : null}
            {pr.state === "merged" && pr.mergedAt ? (
              <span data-testid="pr-merged">
                {" · merged "}
                <time dateTime={pr.mergedAt}>{formatDateTime(pr.mergedAt)}</time>
                {pr.mergeSha ? (
                  <>
                    {" as "}
                    <span className="font-mono">{pr.mergeSha.slice(0, 7)}</span>
                  </>
                ) : null}
              </span>
            ) : null}
            {pr.state === "closed" && pr.closedAt ? (
              <>
                {" · closed "}
                <time dateTime={pr.closedAt}>{formatDateTime(pr.closedAt)}</time>
              </>
            ) : null}
          </p>
        </div>
        {mayEdit && pr.origin === "linked" ? (
          <UnlinkPullRequestButton org={org} bugId={bugId} pullRequestId={pr.id} label={label} />
        ) : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <section aria-label={`CI of ${label}`} className="grid content-start gap-2">
          <Badge
            variant={CHECKS[pr.checksState].variant}
            className="justify-self-start"
            data-testid="pr-checks-state"
          >
            {CHECKS[pr.checksState].label}
          </Badge>
          {pr.checks.length ? (
            <ul className="grid gap-1">
              {pr.checks.map((c) => (
                <CheckLine key={`${c.source}:${c.name}`} check={c} />
              ))}
            </ul>
          ) : (
            <p className="text-xs text-muted-foreground">
              Checks appear here as the repository&apos;s CI reports them.
            </p>
          )}
        </section>
        <section aria-label={`Reviews of ${label}`} className="grid content-start gap-2">
          <Badge
            variant={REVIEW[pr.reviewState].variant}
            className="justify-self-start"
            data-testid="pr-review-state"
          >
            {REVIEW[pr.reviewState].label}
          </Badge>
          {reviewers.length ? (
            <ul className="grid gap-1 text-sm">
              {reviewers.map((r) => (
                <li key={r.login} data-testid="pr-reviewer" data-state={r.state}>
                  <span className="font-medium">@{r.login}</span>{" "}
                  <span className="text-muted-foreground">{REVIEWER[r.state]}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-xs text-muted-foreground">Nobody has been asked to review yet.</p>
          )}
        </section>
      </div>
      {rounds.length ? <ReviewRounds rounds={rounds} max={roundsMax} label={label} /> : null}
      {pr.comments.length ? (
        <section aria-label={`Latest comments on ${label}`} className="grid gap-2">
          <h4 className="flex items-center gap-1 text-xs font-medium text-muted-foreground">
            <MessageSquareIcon className="size-3.5" aria-hidden="true" />
            Latest comments
          </h4>
          <ul className="grid gap-2">
            {pr.comments
              .slice(-3)
              .reverse()
              .map((c) => (
                <li
                  key={`${c.kind}:${c.id}`}
                  className="rounded-md border-l-2 bg-muted/50 px-3 py-2 text-sm"
                  data-testid="pr-comment"
                >
                  <p className="text-xs text-muted-foreground">
                    <span className="font-medium text-foreground">@{c.author}</span>
                    {c.reviewState === "changes_requested" ? " requested changes" : ""}
                    {" · "}
                    <time dateTime={c.at}>{formatDateTime(c.at)}</time>
                  </p>
                  <p className="mt-1 whitespace-pre-wrap break-words">{c.excerpt}</p>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
    </li>
  );
}

export function PullRequestsSection({
  org,
  bugId,
  pullRequests,
  repositories,
  mayEdit,
  reviewRounds = { max: 0, byPullRequest: {} },
}: {
  org: string;
  bugId: string;
  pullRequests: BugPullRequest[];
  repositories: string[];
  mayEdit: boolean;
  reviewRounds?: BugReviewRounds;
}) {
  // one pull request per bug and repository: offer only the repositories without one
  const open = repositories.filter((r) => !pullRequests.some((p) => p.repository === r));
  return (
    <Card data-testid="bug-pull-requests">
      <CardHeader>
        <CardTitle>Pull requests</CardTitle>
        <CardDescription>
          {pullRequests.length
            ? "The fix, one pull request per repository. CI and reviews follow GitHub as it reports them."
            : mayEdit
              ? "No pull request carries this fix yet. Link one that already exists."
              : "No pull request carries this fix yet."}
        </CardDescription>
      </CardHeader>
      {pullRequests.length ? (
        <ul className="divide-y border-t">
          {pullRequests.map((pr) => (
            <PullRequestItem
              key={pr.id}
              pr={pr}
              org={org}
              bugId={bugId}
              mayEdit={mayEdit}
              rounds={reviewRounds.byPullRequest[pr.id] ?? []}
              roundsMax={reviewRounds.max}
            />
          ))}
        </ul>
      ) : null}
      {mayEdit && (open.length || !pullRequests.length) ? (
        <CardContent className={pullRequests.length ? "grid gap-3 border-t pt-6" : undefined}>
          {pullRequests.length ? (
            <h3 className="text-sm font-medium">Link a pull request in another repository</h3>
          ) : null}
          {open.length ? (
            <LinkPullRequestForm org={org} bugId={bugId} repositories={open} />
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="link-pr-no-repositories">
              Select a repository on the Codebase page to link its pull requests.
            </p>
          )}
        </CardContent>
      ) : null}
    </Card>
  );
}

/** The section with its data (the caller's RLS view): one line in the bug page. */
export async function BugPullRequests({
  supabase,
  organizationId,
  org,
  bugId,
  mayEdit,
}: {
  supabase: ServerSupabaseClient;
  organizationId: string;
  org: string;
  bugId: string;
  mayEdit: boolean;
}) {
  const [pullRequests, repositories, reviewRounds] = await Promise.all([
    listBugPullRequests(supabase, organizationId, bugId),
    mayEdit ? listRepositoryNames(supabase, organizationId) : Promise.resolve([]),
    listBugReviewRounds(supabase, organizationId, bugId),
  ]);
  return (
    <PullRequestsSection
      org={org}
      bugId={bugId}
      pullRequests={pullRequests}
      repositories={repositories}
      mayEdit={mayEdit}
      reviewRounds={reviewRounds}
    />
  );
}
