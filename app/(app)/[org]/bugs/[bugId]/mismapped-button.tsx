"use client";

import { FlagIcon, Undo2Icon } from "lucide-react";
import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { clearMismapped, markMismapped } from "./actions";

/** "Mark mismapped" (with a reason) or "Not mismapped" for one code location. */
export function MismappedButton({
  org,
  bugId,
  locationId,
  where,
  mismapped,
}: {
  org: string;
  bugId: string;
  locationId: string;
  where: string;
  mismapped: boolean;
}) {
  const [open, setOpen] = useState(false);
  const fields = { org, bugId, locationId };
  if (mismapped) {
    return (
      <>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setOpen(true)}
          data-testid="location-unmark"
        >
          <Undo2Icon aria-hidden="true" />
          Not mismapped
        </Button>
        <ActionDialog
          open={open}
          onOpenChange={setOpen}
          title="Remove the mismapped mark?"
          description={`${where} will count as a correct location again.`}
          action={clearMismapped}
          fields={fields}
          confirmLabel="Remove mark"
          testId="unmark-dialog"
        />
      </>
    );
  }
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)} data-testid="location-mark">
        <FlagIcon aria-hidden="true" />
        Mark mismapped
      </Button>
      <ActionDialog
        open={open}
        onOpenChange={setOpen}
        title="Mark this location as mismapped"
        description={`Say why ${where} is not where this bug lives. The reason is kept with the bug and helps the next mapping.`}
        action={markMismapped}
        fields={fields}
        confirmLabel="Mark mismapped"
        pendingLabel="Saving…"
        testId="mismapped-dialog"
      >
        <div className="grid gap-2">
          <Label htmlFor={`mismapped-reason-${locationId}`}>Reason</Label>
          <Textarea
            id={`mismapped-reason-${locationId}`}
            name="reason"
            required
            minLength={3}
            maxLength={1000}
            placeholder="e.g. the total is computed in cart/summary.ts, this function only formats it"
            data-testid="mismapped-reason"
          />
        </div>
      </ActionDialog>
    </>
  );
}
