"use client";

import { LogOutIcon } from "lucide-react";
import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import { leaveOrganization } from "./actions";

/** Lets a non-owner leave the workspace, after confirming. */
export function LeaveOrganizationButton({
  org,
  organizationName,
}: {
  org: string;
  organizationName: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        onClick={() => setOpen(true)}
        data-testid="leave-workspace"
      >
        <LogOutIcon aria-hidden="true" />
        Leave workspace
      </Button>
      {open ? (
        <ActionDialog
          open
          onOpenChange={setOpen}
          title={`Leave ${organizationName}?`}
          description="You lose access at once. Someone will have to invite you again."
          action={leaveOrganization}
          fields={{ org }}
          confirmLabel="Leave workspace"
          pendingLabel="Leaving…"
          destructive
          testId="leave-workspace-dialog"
        />
      ) : null}
    </>
  );
}
