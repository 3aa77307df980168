"use client";

import { RotateCcwIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { formMessage, idleState } from "@/lib/auth/action-state";
import { retryIndex } from "./actions";

/** "Retry indexing" for one repository; posts without JavaScript, the outcome in a toast. */
export function RetryIndexButton({ org, repositoryId }: { org: string; repositoryId: string }) {
  const [state, action] = useActionState(retryIndex, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Indexing started again.");
    if (state.status === "error") toast.error(formMessage(state) ?? "Indexing could not start.");
  }, [state]);
  return (
    <form action={action}>
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <SubmitButton variant="outline" size="sm" pendingText="Starting…" data-testid="index-retry">
        <RotateCcwIcon aria-hidden="true" />
        Retry indexing
      </SubmitButton>
    </form>
  );
}
