import { ClipboardListIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { type BugDetail, githubLinesUrl } from "@/lib/pipeline-data/bugs";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * The fix brief: what an engineer needs to write the fix when Patchline drafts no patch (no LLM
 * provider, the default offline path): where the bug lives and why we think so, how to reproduce
 * it, what should happen and what happens. Shown while no pull request carries the fix; a
 * location marked mismapped is left out.
 */
export function FixBrief({ bug, webBase }: { bug: BugDetail; webBase: string }) {
  const locations = bug.locations.filter((l) => !l.mismapped);
  return (
    <Card data-testid="fix-brief">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ClipboardListIcon className="size-4" aria-hidden="true" />
          Fix brief
        </CardTitle>
        <CardDescription>
          Everything needed to write the fix, in one place. Open a pull request on GitHub, then link
          it above to follow its CI and reviews here.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5 text-sm">
        <section aria-labelledby="brief-where" className="grid gap-2">
          <h3 id="brief-where" className="text-xs font-medium text-muted-foreground">
            Where to look
          </h3>
          {locations.length ? (
            <ol className="grid gap-2" data-testid="fix-brief-locations">
              {locations.map((l) => (
                <li key={l.id} className="grid gap-0.5">
                  <a
                    href={githubLinesUrl(webBase, l)}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="font-mono text-xs break-all hover:underline"
                  >
                    {l.repository}/{l.path}:{l.startLine}–{l.endLine}
                    {l.functionName ? ` (${l.functionName})` : ""}
                    <span className="sr-only"> (opens GitHub in a new tab)</span>
                  </a>
                  {l.explanation ? (
                    <span className="text-muted-foreground">{l.explanation}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-muted-foreground">
              No code location is left: every one was marked mismapped or none matched.
            </p>
          )}
        </section>
        <section aria-labelledby="brief-steps" className="grid gap-2">
          <h3 id="brief-steps" className="text-xs font-medium text-muted-foreground">
            Steps to reproduce
          </h3>
          {bug.steps.length ? (
            <ol className="list-decimal pl-5" data-testid="fix-brief-steps">
              {bug.steps.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: steps may repeat; order is identity
                <li key={i}>{s}</li>
              ))}
            </ol>
          ) : (
            <p className="text-muted-foreground">None given. Add them in the bug&apos;s fields.</p>
          )}
        </section>
        <div className="grid gap-4 sm:grid-cols-2">
          <section aria-labelledby="brief-expected" className="grid gap-1">
            <h3 id="brief-expected" className="text-xs font-medium text-muted-foreground">
              Expected
            </h3>
            <p className="whitespace-pre-wrap break-words" data-testid="fix-brief-expected">
              {bug.expected ?? "—"}
            </p>
          </section>
          <section aria-labelledby="brief-actual" className="grid gap-1">
            <h3 id="brief-actual" className="text-xs font-medium text-muted-foreground">
              Actual
            </h3>
            <p className="whitespace-pre-wrap break-words" data-testid="fix-brief-actual">
              {bug.actual ?? "—"}
            </p>
          </section>
        </div>
      </CardContent>
    </Card>
  );
}

/** The brief, only while no pull request carries the fix: one line in the bug page. */
export async function BugFixBrief({
  supabase,
  organizationId,
  bug,
  webBase,
}: {
  supabase: ServerSupabaseClient;
  organizationId: string;
  bug: BugDetail;
  webBase: string;
}) {
  const { count, error } = await supabase
    .from("pull_requests")
    .select("id", { count: "exact", head: true })
    .eq("organization_id", organizationId)
    .eq("bug_id", bug.id);
  if (error) throw new Error(`count pull requests: ${error.message}`);
  return count ? null : <FixBrief bug={bug} webBase={webBase} />;
}
