"use client";

import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import { removeTotpFactor } from "./actions";

export function RemoveFactorButton({ factorId, name }: { factorId: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)} data-testid="mfa-remove">
        Remove
      </Button>
      {open ? (
        <ActionDialog
          open
          onOpenChange={setOpen}
          title="Remove authenticator?"
          description={
            <>
              Signing in will no longer ask for a code from <strong>{name}</strong>. Your account is
              safer with two-factor authentication on.
            </>
          }
          action={removeTotpFactor}
          fields={{ factorId }}
          confirmLabel="Remove authenticator"
          pendingLabel="Removing…"
          destructive
          testId="mfa-remove-dialog"
        />
      ) : null}
    </>
  );
}
