"use client";

import { LogOutIcon } from "lucide-react";
import { useState } from "react";
import { leaveWorkspace } from "@/app/(app)/[org]/members/actions";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";

/** Lets a non-owner leave the workspace, after confirming. */
export function LeaveWorkspaceButton({
  org,
  workspaceName,
}: {
  org: string;
  workspaceName: string;
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
          title={`Leave ${workspaceName}?`}
          description="You lose access at once. Someone will have to invite you again."
          action={leaveWorkspace}
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
