"use client";

import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import { disconnect } from "./actions";

/** Disconnect, after a confirmation that says what goes and what stays. */
export function DisconnectButton({
  org,
  provider,
  label,
}: {
  org: string;
  provider: "zendesk" | "intercom" | "github";
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const what =
    provider === "github"
      ? "Patchline uninstalls its GitHub App from the account and deletes its access."
      : `Patchline revokes its ${label} access${provider === "zendesk" ? ", deletes the webhook it created in Zendesk" : ""} and deletes the stored credentials.`;
  return (
    <>
      <Button
        variant="outline"
        onClick={() => setOpen(true)}
        data-testid={`${provider}-disconnect`}
      >
        Disconnect
      </Button>
      <ActionDialog
        open={open}
        onOpenChange={setOpen}
        title={`Disconnect ${label}?`}
        description={`${what} Tickets and bugs already in Patchline stay.`}
        action={disconnect}
        fields={{ org, provider }}
        confirmLabel="Disconnect"
        pendingLabel="Disconnecting…"
        destructive
        testId={`${provider}-disconnect-dialog`}
      />
    </>
  );
}
