"use client";

import { WandSparklesIcon } from "lucide-react";
import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { type ActionState, idleState } from "@/lib/auth/action-state";
import { proposeFix } from "./fix-attempt-actions";

/** The form behind "Propose a fix" / "Retry": works before JavaScript loads, shows pending. */
export function FixAttemptButton({
  org,
  bugId,
  label,
}: {
  org: string;
  bugId: string;
  label: string;
}) {
  const [state, formAction] = useActionState(proposeFix, idleState as ActionState);
  return (
    <form action={formAction} className="grid gap-2" data-testid="fix-attempt-form">
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="bugId" value={bugId} />
      <SubmitButton size="sm" pendingText="Starting…" data-testid="fix-attempt-start">
        <WandSparklesIcon aria-hidden="true" />
        {label}
      </SubmitButton>
      {state.status === "error" ? (
        <Alert variant="destructive" data-testid="fix-attempt-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}
