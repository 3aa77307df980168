"use client";

import { useActionState, useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { formMessage, idleState } from "@/lib/auth/action-state";
import { connectSlack, disconnectSlack } from "./actions";

/** Starts Slack's install (the action redirects to Slack's OAuth page). */
export function SlackConnectButton({ org, label }: { org: string; label: string }) {
  const [state, action] = useActionState(connectSlack, idleState);
  const message = formMessage(state);
  return (
    <form action={action} className="grid gap-3" data-testid="slack-connect-form">
      <input type="hidden" name="org" value={org} />
      {message ? (
        <Alert variant="destructive" data-testid="slack-connect-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Opening Slack…" data-testid="slack-connect">
          {label}
        </SubmitButton>
      </div>
    </form>
  );
}

/** Disconnect, after a confirmation that says what goes. */
export function SlackDisconnectButton({ org }: { org: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)} data-testid="slack-disconnect">
        Disconnect
      </Button>
      <ActionDialog
        open={open}
        onOpenChange={setOpen}
        title="Disconnect Slack?"
        description="Patchline revokes its Slack access and forgets the channels chosen here. Messages already posted stay in Slack."
        action={disconnectSlack}
        fields={{ org }}
        confirmLabel="Disconnect"
        pendingLabel="Disconnecting…"
        destructive
        testId="slack-disconnect-dialog"
      />
    </>
  );
}
