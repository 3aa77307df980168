"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { idleState } from "@/lib/auth/action-state";
import { rotateKeys } from "./actions";

/** Starts the key rotation for this workspace. */
export function RotateKeysForm({ org }: { org: string }) {
  const [state, action] = useActionState(rotateKeys, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Started.");
  }, [state]);
  return (
    <form action={action} className="grid gap-3" data-testid="rotate-keys-form">
      <input type="hidden" name="org" value={org} />
      {state.status === "error" ? (
        <Alert variant="destructive">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="outline" pendingText="Starting…" data-testid="rotate-keys">
          Rotate encryption keys
        </SubmitButton>
      </div>
    </form>
  );
}
