import { SparklesIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { callHelped, describeCall, storedCalls } from "@/lib/pipeline/llm/usage-summary";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * What the workspace's optional LLM stage did for this bug, from the metadata stored on it
 * (`bugs.extraction_source`, `bugs.llm_calls`: model, task, outcome, token counts, PII kinds
 * redacted; never text). Renders nothing when no model was asked: the offline path is the
 * default and needs no badge. Reads its own two columns so the page keeps one line for it; the
 * sentences are lib/pipeline/llm/usage-summary.ts.
 */

export async function ModelHelp({
  supabase,
  organizationId,
  bugId,
}: {
  supabase: ServerSupabaseClient;
  organizationId: string;
  bugId: string;
}) {
  const { data } = await supabase
    .from("bugs")
    .select("extraction_source, llm_calls")
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .maybeSingle();
  if (!data) return null;
  const calls = storedCalls(data.llm_calls);
  if (calls.length === 0) return null;
  const helped = calls.some((c) => callHelped(c, data.extraction_source));
  const tokens = calls.reduce((n, c) => n + c.inputTokens + c.outputTokens, 0);
  const redacted = [...new Set(calls.flatMap((c) => c.piiRisks))];
  return (
    <Card data-testid="bug-model-help" data-helped={helped}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <SparklesIcon aria-hidden="true" className="size-4" />
          Model help
        </CardTitle>
        <CardDescription>
          {helped
            ? "The workspace's language model helped with this bug."
            : "The workspace's language model was asked, and the offline result was kept."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <ul className="grid gap-2">
          {calls.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: calls are in the order they were made
            <li key={i} data-testid="model-call" data-task={c.task} data-outcome={c.outcome}>
              {describeCall(c, data.extraction_source)}
            </li>
          ))}
        </ul>
        <p className="text-xs text-muted-foreground">
          {tokens.toLocaleString("en-US")} tokens in all.{" "}
          {redacted.length
            ? `Redacted before the text left Patchline: ${redacted.join(", ")}.`
            : "No personal data was found to redact."}{" "}
          Prompts and answers are never stored.
        </p>
      </CardContent>
    </Card>
  );
}
