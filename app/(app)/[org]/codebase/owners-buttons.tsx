"use client";

import { GitPullRequestDraftIcon, UsersIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { type ActionState, formMessage, idleState } from "@/lib/auth/action-state";
import { openCodeownersPr, synthesizeOwners } from "./actions";

function useToasted<T>(state: ActionState<T>, failed: string) {
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success" && state.message) toast.success(state.message);
    if (state.status === "error") toast.error(formMessage(state) ?? failed);
  }, [state, failed]);
}

/** "Synthesise owners" for one repository; posts without JavaScript, the outcome in a toast. */
export function SynthesizeOwnersButton({
  org,
  repositoryId,
  again,
}: {
  org: string;
  repositoryId: string;
  again: boolean;
}) {
  const [state, action] = useActionState(synthesizeOwners, idleState);
  useToasted(state, "Owner synthesis could not start.");
  return (
    <form action={action}>
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <SubmitButton
        variant="outline"
        size="sm"
        pendingText="Starting…"
        data-testid="owners-synthesize"
      >
        <UsersIcon aria-hidden="true" />
        {again ? "Synthesise owners again" : "Synthesise owners"}
      </SubmitButton>
    </form>
  );
}

/** "Open a CODEOWNERS pull request": a draft PR from the synthesised owners (or the open one). */
export function CodeownersPrButton({ org, repositoryId }: { org: string; repositoryId: string }) {
  const [state, action] = useActionState(openCodeownersPr, idleState);
  useToasted(state, "The pull request could not be opened.");
  return (
    <form action={action}>
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <SubmitButton size="sm" pendingText="Opening the pull request…" data-testid="codeowners-pr">
        <GitPullRequestDraftIcon aria-hidden="true" />
        Open a CODEOWNERS pull request
      </SubmitButton>
    </form>
  );
}
