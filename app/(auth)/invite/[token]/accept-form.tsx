"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { idleState } from "@/lib/auth/action-state";
import { acceptInvitation } from "./actions";

export function AcceptForm({
  token,
  organizationName,
}: {
  token: string;
  organizationName: string;
}) {
  const [state, action] = useActionState(acceptInvitation, idleState);
  return (
    <form action={action} className="grid gap-4">
      <input type="hidden" name="token" value={token} />
      {state.status === "error" ? (
        <Alert variant="destructive" data-testid="accept-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <SubmitButton className="w-full" pendingText="Joining…" data-testid="accept-invitation">
        Join {organizationName}
      </SubmitButton>
    </form>
  );
}
