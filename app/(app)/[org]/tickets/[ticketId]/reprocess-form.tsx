"use client";

import { RotateCwIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { formMessage, idleState } from "@/lib/auth/action-state";
import { reprocessTicket } from "./actions";

/** "Process again": one button posting the ticket id; works before JavaScript loads. */
export function ReprocessForm({ org, ticketId }: { org: string; ticketId: string }) {
  const [state, action] = useActionState(reprocessTicket, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Sent.");
  }, [state]);
  return (
    <form action={action} className="grid gap-2" data-testid="reprocess-form">
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="ticketId" value={ticketId} />
      <SubmitButton variant="outline" pendingText="Sending…" data-testid="reprocess">
        <RotateCwIcon aria-hidden="true" />
        Process again
      </SubmitButton>
      {state.status === "error" ? (
        <Alert variant="destructive">
          <AlertDescription>{formMessage(state)}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}
