"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { idleState } from "@/lib/auth/action-state";
import type { RepositorySummary } from "@/lib/integrations/overview";
import { saveRepositories } from "./actions";

/** The installation's repositories; the checked ones are those bugs are mapped into. */
export function RepositoryForm({
  org,
  repositories,
}: {
  org: string;
  repositories: RepositorySummary[];
}) {
  const [state, action] = useActionState(saveRepositories, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
  }, [state]);
  return (
    <form action={action} className="grid gap-3" data-testid="repository-form">
      <input type="hidden" name="org" value={org} />
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Repositories Patchline reads</legend>
        <ul className="grid divide-y rounded-md border">
          {repositories.map((repo) => (
            <li key={repo.id} className="flex items-center gap-3 px-3 py-2">
              <input
                type="checkbox"
                id={`repo-${repo.id}`}
                name="repository_ids"
                value={repo.id}
                defaultChecked={repo.selected}
                className="size-4 accent-primary"
                data-testid={`repo-${repo.fullName}`}
              />
              <label htmlFor={`repo-${repo.id}`} className="flex-1 font-mono text-sm">
                {repo.fullName}
              </label>
              {repo.private ? <Badge variant="outline">Private</Badge> : null}
              {repo.defaultBranch ? (
                <span className="text-xs text-muted-foreground">{repo.defaultBranch}</span>
              ) : null}
            </li>
          ))}
        </ul>
      </fieldset>
      {state.status === "error" ? (
        <Alert variant="destructive" data-testid="repository-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="outline" pendingText="Saving…" data-testid="repository-save">
          Save selection
        </SubmitButton>
      </div>
    </form>
  );
}
