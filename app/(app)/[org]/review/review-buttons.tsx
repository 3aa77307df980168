"use client";

import { CheckIcon, XIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { idleState } from "@/lib/auth/action-state";
import { resolveReviewItem } from "./actions";

/** Accept and dismiss for one item: two submit buttons of one form (works before JS loads). */
export function ReviewButtons({
  org,
  itemId,
  title,
}: {
  org: string;
  itemId: string;
  title: string;
}) {
  const [state, action] = useActionState(resolveReviewItem, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Done.");
    if (state.status === "error") toast.error(state.message);
  }, [state]);
  return (
    <form action={action} className="flex flex-wrap gap-2" data-testid="review-actions">
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="itemId" value={itemId} />
      <SubmitButton
        size="sm"
        name="decision"
        value="accepted"
        aria-label={`Accept: ${title}`}
        data-testid="review-accept"
      >
        <CheckIcon aria-hidden="true" />
        Accept
      </SubmitButton>
      <SubmitButton
        size="sm"
        variant="outline"
        name="decision"
        value="dismissed"
        aria-label={`Dismiss: ${title}`}
        data-testid="review-dismiss"
      >
        <XIcon aria-hidden="true" />
        Dismiss
      </SubmitButton>
    </form>
  );
}
