import {
  AlertTriangleIcon,
  ClockIcon,
  ExternalLinkIcon,
  FileCheck2Icon,
  GitPullRequestDraftIcon,
} from "lucide-react";
import { formatDateTime } from "@/components/format-date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { formatOwner, parseCodeOwners } from "@/lib/fixes/codeowners";
import { buildCodeowners } from "@/lib/fixes/owners/codeowners-file";
import type { RepositoryOwnersView } from "@/lib/fixes/owners/read";
import { CodeownersPrButton, SynthesizeOwnersButton } from "./owners-buttons";

const count = new Intl.NumberFormat("en");
/** Rules shown on the page; the pull request carries the whole file. */
const SHOWN_RULES = 25;

/** Whether the page should keep refreshing for this synthesis. */
export function ownersInFlight(view: RepositoryOwnersView | undefined): boolean {
  return view?.status === "queued" || view?.status === "running";
}

/**
 * A repository's code owners on the Codebase page: the CODEOWNERS file that decides them, or the
 * owners synthesised from its history (as the CODEOWNERS rules they would make, with a one-click
 * draft PR adding that file), the synthesis's progress while it runs, and "Synthesise owners" for
 * those who may ask for it.
 */
export function OwnersPanel({
  org,
  repositoryId,
  fullName,
  view,
  mayRequest,
}: {
  org: string;
  repositoryId: string;
  fullName: string;
  view: RepositoryOwnersView | undefined;
  mayRequest: boolean;
}) {
  const running = ownersInFlight(view);
  const synthesizeButton =
    mayRequest && !running && !view?.codeownersPath ? (
      <SynthesizeOwnersButton org={org} repositoryId={repositoryId} again={Boolean(view)} />
    ) : null;
  const file = view?.owners && view.owners.byPath.size > 0 ? buildCodeowners(view.owners) : null;
  const rules = file ? parseCodeOwners(file.text).rules : [];

  return (
    <section
      className="grid gap-3 border-t pt-4"
      aria-labelledby={`owners-${repositoryId}`}
      data-testid="owners"
      data-status={view?.status ?? "none"}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`owners-${repositoryId}`} className="text-sm font-medium">
          Code owners
        </h3>
        {synthesizeButton}
      </div>

      {view?.codeownersPath ? (
        <p
          className="flex items-center gap-1.5 text-sm text-muted-foreground"
          data-testid="owners-codeowners"
        >
          <FileCheck2Icon className="size-4" aria-hidden="true" />
          Reviewers come from <code className="font-mono">{view.codeownersPath}</code>
          {view.commitSha ? ` at ${view.commitSha.slice(0, 12)}` : ""}.
        </p>
      ) : null}

      {!view ? (
        <p className="text-sm text-muted-foreground" data-testid="owners-none">
          No owners synthesised yet. Without a CODEOWNERS file, Patchline works out who owns each
          path from the last 365 days of commits and requests them as reviewers on fix pull
          requests.
        </p>
      ) : null}

      {view?.status === "queued" ? (
        <p
          className="flex items-center gap-1.5 text-xs text-muted-foreground"
          data-testid="owners-queued"
        >
          <ClockIcon className="size-3.5" aria-hidden="true" />
          Waiting to start.
        </p>
      ) : null}

      {view?.status === "running" ? <OwnersProgress view={view} fullName={fullName} /> : null}

      {view?.status === "failed" ? (
        <Alert variant="destructive" data-testid="owners-error">
          <AlertTriangleIcon aria-hidden="true" />
          <AlertTitle>Owner synthesis failed</AlertTitle>
          <AlertDescription>
            {view.error}
            {view.owners ? " The owners below are from the run before." : ""}
          </AlertDescription>
        </Alert>
      ) : null}

      {file && view?.synthesizedSha ? (
        <div className="grid gap-2" data-testid="owners-result">
          <p className="text-xs text-muted-foreground">
            From {count.format(view.owners?.byPath.size ?? 0)} paths changed in the last 365 days,
            at <code className="font-mono">{view.synthesizedSha.slice(0, 12)}</code>
            {view.synthesizedAt ? `, ${formatDateTime(view.synthesizedAt)}` : ""}. As CODEOWNERS
            rules (the last matching one wins):
          </p>
          <ul
            className="grid gap-1 rounded-md border bg-muted/30 p-2 font-mono text-xs"
            data-testid="owners-rules"
          >
            {rules.slice(0, SHOWN_RULES).map((rule) => (
              <li key={rule.line} className="flex flex-wrap gap-x-3" data-testid="owners-rule">
                <span className="min-w-0 break-all">{rule.pattern}</span>
                <span className="text-muted-foreground">
                  {rule.owners.length
                    ? rule.owners.map(formatOwner).join(" ")
                    : "(no owner with a GitHub login)"}
                </span>
              </li>
            ))}
          </ul>
          {rules.length > SHOWN_RULES ? (
            <p className="text-xs text-muted-foreground">
              And {count.format(rules.length - SHOWN_RULES)} more rules in the file.
            </p>
          ) : null}
          <CodeownersPullRequest
            org={org}
            repositoryId={repositoryId}
            view={view}
            mayRequest={mayRequest}
          />
        </div>
      ) : view?.status === "done" && !view.codeownersPath ? (
        <p className="text-sm text-muted-foreground" data-testid="owners-empty">
          No human commits in the last 365 days: nobody to suggest.
        </p>
      ) : null}
    </section>
  );
}

function OwnersProgress({ view, fullName }: { view: RepositoryOwnersView; fullName: string }) {
  const total = view.commitsTotal;
  const pct = total ? Math.min(100, Math.round((view.commitsRead / total) * 100)) : null;
  return (
    <div className="grid gap-1.5" data-testid="owners-progress">
      <div className="flex justify-between gap-2 text-xs text-muted-foreground">
        <span>
          Reading commits{view.commitSha ? ` up to ${view.commitSha.slice(0, 12)}` : ""}
          {view.startedAt ? `, started ${formatDateTime(view.startedAt)}` : ""}
        </span>
        <span className="tabular-nums" data-testid="owners-progress-count">
          {total !== null
            ? `${count.format(view.commitsRead)} of ${count.format(total)} commits`
            : `${count.format(view.commitsRead)} commits`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`Synthesising owners of ${fullName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={
            pct === null
              ? "h-full w-1/3 animate-pulse rounded-full bg-primary"
              : "h-full rounded-full bg-primary"
          }
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
    </div>
  );
}

function CodeownersPullRequest({
  org,
  repositoryId,
  view,
  mayRequest,
}: {
  org: string;
  repositoryId: string;
  view: RepositoryOwnersView;
  mayRequest: boolean;
}) {
  if (view.pullRequest) {
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="codeowners-pr-open">
        <Badge variant="secondary">
          <GitPullRequestDraftIcon className="size-3.5" aria-hidden="true" />
          Draft
        </Badge>
        <a
          href={view.pullRequest.url}
          target="_blank"
          rel="noreferrer"
          className="inline-flex items-center gap-1 font-medium underline-offset-4 hover:underline"
          data-testid="codeowners-pr-link"
        >
          Pull request #{view.pullRequest.number} adds .github/CODEOWNERS
          <ExternalLinkIcon className="size-3.5" aria-hidden="true" />
        </a>
      </p>
    );
  }
  if (view.status !== "done" || view.codeownersPath) return null;
  return mayRequest ? (
    <div className="flex flex-wrap items-center gap-3">
      <CodeownersPrButton org={org} repositoryId={repositoryId} />
      <span className="text-xs text-muted-foreground">
        A draft pull request on a new branch; Patchline never merges it.
      </span>
    </div>
  ) : (
    <p className="text-xs text-muted-foreground">
      A member, admin or owner can open a draft pull request that adds this as CODEOWNERS.
    </p>
  );
}
