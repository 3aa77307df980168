import {
  AlertTriangleIcon,
  BookOpenTextIcon,
  ClockIcon,
  FolderGit2Icon,
  GitCommitHorizontalIcon,
} from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { listRepositoryOwners } from "@/lib/fixes/owners/read";
import { type IndexPhase, indexPhase, isMoving } from "@/lib/pipeline/index-health";
import {
  type IndexStatus,
  listRepositoryIndexes,
  type RepositoryIndex,
} from "@/lib/pipeline-data/codebase";
import { requireOrgPage } from "../org-pages";
import { repositoryTimes } from "./index-times";
import { OwnersPanel, ownersInFlight } from "./owners-panel";
import { RefreshWhileIndexing } from "./refresh-while-indexing";
import { RetryIndexButton } from "./retry-index-button";
import { type RepositoryVocabulary, repositoryVocabularies } from "./vocabulary";

export const metadata: Metadata = { title: "Codebase" };

const STATUS: Record<
  IndexStatus,
  { label: string; variant: "success" | "warning" | "destructive" | "secondary" | "outline" }
> = {
  ready: { label: "Indexed", variant: "success" },
  indexing: { label: "Indexing", variant: "warning" },
  queued: { label: "Queued", variant: "secondary" },
  error: { label: "Failed", variant: "destructive" },
  not_indexed: { label: "Not indexed yet", variant: "outline" },
};

const count = new Intl.NumberFormat("en");

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

// The index's language ids as people write them ("TypeScript", not "Typescript").
const LANGUAGE_LABELS: Record<string, string> = {
  typescript: "TypeScript",
  tsx: "TSX",
  javascript: "JavaScript",
  python: "Python",
  go: "Go",
  java: "Java",
  rust: "Rust",
  c: "C",
  cpp: "C++",
};

/**
 * What is happening to the index right now, with its times: waiting (since when), running
 * (started, last progress), or stalled/failed after a bound, with a retry for those who may.
 */
function IndexActivity({
  r,
  phase,
  org,
  mayRetry,
}: {
  r: RepositoryIndex;
  phase: IndexPhase;
  org: string;
  mayRetry: boolean;
}) {
  const retry = mayRetry ? (
    <RetryIndexButton org={org} repositoryId={r.repositoryId} />
  ) : (
    <p className="text-xs">An owner or admin can retry it here.</p>
  );
  if (phase.phase === "waiting" && phase.stalled) {
    return (
      <Alert variant="destructive" data-testid="index-stalled" data-kind="never-started">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>Indexing never started</AlertTitle>
        <AlertDescription className="grid gap-2">
          <p>
            Selected {phase.since ? formatDateTime(phase.since) : ""}, and no indexing run has
            picked it up since. Bugs cannot be mapped to this repository until it is indexed.
          </p>
          {retry}
        </AlertDescription>
      </Alert>
    );
  }
  if (phase.phase === "running" && phase.stalled) {
    return (
      <Alert variant="destructive" data-testid="index-stalled" data-kind="no-progress">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>Indexing stalled</AlertTitle>
        <AlertDescription className="grid gap-2">
          <p>
            Started {phase.startedAt ? formatDateTime(phase.startedAt) : ""}; no progress since{" "}
            {phase.lastProgressAt ? formatDateTime(phase.lastProgressAt) : "it started"}.
            {r.commitSha ? " Mapping keeps using the commit indexed before." : ""}
          </p>
          {retry}
        </AlertDescription>
      </Alert>
    );
  }
  if (r.status === "error") {
    return (
      <Alert variant="destructive" data-testid="index-error">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>Indexing failed</AlertTitle>
        <AlertDescription className="grid gap-2">
          <p>{r.lastError ?? "The last indexing run failed."}</p>
          {retry}
        </AlertDescription>
      </Alert>
    );
  }
  if (r.lastError) {
    return (
      <Alert variant="destructive" data-testid="index-error">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>The last indexing run failed</AlertTitle>
        <AlertDescription>
          {r.lastError} Mapping keeps using the commit indexed before; the run is retried.
        </AlertDescription>
      </Alert>
    );
  }
  if (phase.phase === "waiting") {
    return (
      <p
        className="flex items-center gap-1.5 text-xs text-muted-foreground"
        data-testid="index-queued"
      >
        <ClockIcon className="size-3.5" aria-hidden="true" />
        Waiting to start{phase.since ? ` since ${formatDateTime(phase.since)}` : ""}.
      </p>
    );
  }
  return null;
}

const plural = (n: number, one: string, many: string) =>
  `${count.format(n)} ${n === 1 ? one : many}`;

/**
 * What the repository's own vocabulary was learned from: its fix commits (read at indexing) and
 * people's corrections (merged fixes, mismapped marks), so a reviewer knows the mapping reads
 * this workspace's words and not only the shipped table's.
 */
function VocabularyLine({ v, ready }: { v: RepositoryVocabulary | undefined; ready: boolean }) {
  if (!v && !ready) return null;
  return (
    <p
      className="flex flex-wrap items-center gap-1.5 text-sm text-muted-foreground"
      data-testid="vocabulary"
    >
      <BookOpenTextIcon className="size-4" aria-hidden="true" />
      {v ? (
        <span title={`${plural(v.commitsRead, "commit", "commits")} read from the history`}>
          <span className="font-medium text-foreground">Vocabulary:</span> learned from{" "}
          {plural(v.commits, "commit", "commits")} and{" "}
          {plural(v.corrections, "correction", "corrections")}, {formatDateTime(v.learnedAt)}
        </span>
      ) : (
        <span>
          <span className="font-medium text-foreground">Vocabulary:</span> not learned yet; it is
          learned from the repository&apos;s fix commits after indexing.
        </span>
      )}
    </p>
  );
}

export default async function CodebasePage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, role, supabase } = await requireOrgPage(slug, "codebase");
  const [repos, times, owners, vocabularies] = await Promise.all([
    listRepositoryIndexes(supabase, org.id),
    repositoryTimes(supabase, org.id),
    listRepositoryOwners(supabase, org.id),
    repositoryVocabularies(supabase, org.id),
  ]);
  const mayRetry = can(role, "integrations.manage");
  const mayRequestOwners = can(role, "bugs.write");
  const now = Date.now();
  const phases = new Map(
    repos.map((r) => {
      const t = times.get(r.repositoryId);
      return [
        r.repositoryId,
        indexPhase(
          {
            status: r.status,
            targetSha: r.targetSha,
            requestedAt: t?.indexCreatedAt ?? t?.selectedAt ?? null,
            startedAt: r.startedAt,
            updatedAt: t?.indexUpdatedAt ?? null,
          },
          now,
        ),
      ];
    }),
  );
  // a repository just selected has no index row until its job starts: keep watching it too, but
  // stop once it is stalled (the page says so and offers a retry instead of spinning)
  const inFlight =
    [...phases.values()].some(isMoving) ||
    repos.some((r) => ownersInFlight(owners.get(r.repositoryId)));
  return (
    <>
      <RefreshWhileIndexing active={inFlight} />
      <PageHeader
        title="Codebase"
        description="The repositories Patchline maps bugs to. Each is indexed at its default branch's latest commit: files and functions, never your source text. Code owners decide who reviews a fix."
      />
      {repos.length === 0 ? (
        <EmptyState icon={FolderGit2Icon} title="No repository selected" testId="codebase-empty">
          Install the GitHub App and select the repositories to map bugs to in Settings →
          Integrations. Indexing starts as soon as a repository is selected.
        </EmptyState>
      ) : (
        <div className="grid gap-4" data-testid="codebase-list" aria-live="polite">
          {repos.map((r) => {
            const phase = phases.get(r.repositoryId) ?? { phase: "idle" as const };
            const s =
              phase.phase !== "idle" && phase.stalled
                ? { label: "Stalled", variant: "destructive" as const }
                : STATUS[r.status];
            const pct =
              r.filesTotal > 0 ? Math.min(100, Math.round((r.filesDone / r.filesTotal) * 100)) : 0;
            const languages = Object.entries(r.languages).sort((a, b) => b[1] - a[1]);
            return (
              <Card
                key={r.repositoryId}
                data-testid="repository"
                data-status={r.status}
                data-stalled={phase.phase !== "idle" && phase.stalled}
              >
                <CardHeader>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <CardTitle className="font-mono">{r.fullName}</CardTitle>
                    <Badge variant={s.variant} data-testid="index-status">
                      {s.label}
                    </Badge>
                  </div>
                  <CardDescription className="flex flex-wrap items-center gap-2">
                    <GitCommitHorizontalIcon className="size-4" aria-hidden="true" />
                    {r.commitSha ? (
                      <span>
                        Indexed at{" "}
                        <code className="font-mono" data-testid="index-commit" title={r.commitSha}>
                          {r.commitSha.slice(0, 12)}
                        </code>{" "}
                        on {r.branch ?? r.defaultBranch ?? "the default branch"}
                        {r.indexedAt ? `, ${formatDateTime(r.indexedAt)}` : ""}
                      </span>
                    ) : (
                      <span>No commit indexed yet</span>
                    )}
                  </CardDescription>
                </CardHeader>
                <CardContent className="grid gap-4">
                  {phase.phase === "running" && !phase.stalled ? (
                    <div className="grid gap-1.5" data-testid="index-progress">
                      <div className="flex justify-between text-xs text-muted-foreground">
                        <span>
                          Indexing {r.targetSha ? r.targetSha.slice(0, 12) : ""}
                          {phase.startedAt ? `, started ${formatDateTime(phase.startedAt)}` : ""}
                        </span>
                        <span className="tabular-nums">
                          {count.format(r.filesDone)} of {count.format(r.filesTotal)} files
                        </span>
                      </div>
                      <div
                        role="progressbar"
                        aria-label={`Indexing ${r.fullName}`}
                        aria-valuemin={0}
                        aria-valuemax={100}
                        aria-valuenow={pct}
                        className="h-2 overflow-hidden rounded-full bg-muted"
                      >
                        <div
                          className="h-full rounded-full bg-primary"
                          style={{ width: `${pct}%` }}
                        />
                      </div>
                    </div>
                  ) : null}
                  <IndexActivity r={r} phase={phase} org={org.slug} mayRetry={mayRetry} />
                  <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="index-counts">
                    <Stat label="Files" value={count.format(r.filesCount)} />
                    <Stat label="Functions" value={count.format(r.functionsCount)} />
                    <Stat label="Lines" value={count.format(r.linesCount)} />
                    <Stat label="Skipped files" value={count.format(r.skippedCount)} />
                  </dl>
                  {languages.length ? (
                    <div>
                      <h3 className="text-xs text-muted-foreground">Languages</h3>
                      <ul className="mt-1 flex flex-wrap gap-1.5" data-testid="index-languages">
                        {languages.map(([lang, files]) => (
                          <li key={lang}>
                            <Badge variant="secondary">
                              {LANGUAGE_LABELS[lang] ?? lang} · {count.format(files)}{" "}
                              {files === 1 ? "file" : "files"}
                            </Badge>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                  <VocabularyLine v={vocabularies.get(r.repositoryId)} ready={!!r.commitSha} />
                  <OwnersPanel
                    org={org.slug}
                    repositoryId={r.repositoryId}
                    fullName={r.fullName}
                    view={owners.get(r.repositoryId)}
                    mayRequest={mayRequestOwners}
                  />
                </CardContent>
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}
