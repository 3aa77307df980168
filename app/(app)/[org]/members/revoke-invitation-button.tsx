"use client";

import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import { revokeInvitation } from "./actions";

/** "Revoke" on a pending invitation, behind a confirmation. */
export function RevokeInvitationButton({
  org,
  invitationId,
  email,
}: {
  org: string;
  invitationId: string;
  email: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        onClick={() => setOpen(true)}
        data-testid={`revoke-${email}`}
      >
        Revoke
      </Button>
      {open ? (
        <ActionDialog
          open
          onOpenChange={setOpen}
          title="Revoke invitation?"
          description={
            <>
              The link sent to <strong>{email}</strong> stops working. You can invite them again.
            </>
          }
          action={revokeInvitation}
          fields={{ org, invitationId }}
          confirmLabel="Revoke invitation"
          pendingLabel="Revoking…"
          destructive
          testId="revoke-invitation-dialog"
        />
      ) : null}
    </>
  );
}
