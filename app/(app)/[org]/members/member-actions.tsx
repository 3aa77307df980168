"use client";

import { CrownIcon, MoreHorizontalIcon, UserCogIcon, UserMinusIcon } from "lucide-react";
import { useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { changeMemberRole, removeMember, transferOwnership } from "./actions";

type Dialog = "role" | "remove" | "transfer" | null;

/**
 * The "…" menu on a member row. It only offers what the viewer's role allows for this member
 * (computed on the server from the permissions table); the server checks again.
 */
export function MemberActions({
  org,
  organizationName,
  member,
  allowed,
}: {
  org: string;
  organizationName: string;
  member: { userId: string; email: string; role: Role };
  allowed: { changeRoleTo: Role[]; remove: boolean; transfer: boolean };
}) {
  const [open, setOpen] = useState<Dialog>(null);
  const close = (o: boolean) => {
    if (!o) setOpen(null);
  };
  const testId = `member-actions-${member.email}`;
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Actions for ${member.email}`}
            data-testid={testId}
          >
            <MoreHorizontalIcon aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {allowed.changeRoleTo.length > 0 ? (
            <DropdownMenuItem onSelect={() => setOpen("role")} data-testid="action-change-role">
              <UserCogIcon aria-hidden="true" />
              Change role
            </DropdownMenuItem>
          ) : null}
          {allowed.transfer ? (
            <DropdownMenuItem onSelect={() => setOpen("transfer")} data-testid="action-transfer">
              <CrownIcon aria-hidden="true" />
              Make owner
            </DropdownMenuItem>
          ) : null}
          {allowed.remove ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem
                variant="destructive"
                onSelect={() => setOpen("remove")}
                data-testid="action-remove"
              >
                <UserMinusIcon aria-hidden="true" />
                Remove from workspace
              </DropdownMenuItem>
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
      {open === "role" ? (
        <ActionDialog
          open
          onOpenChange={close}
          title="Change role"
          description={
            <>
              Choose what <strong>{member.email}</strong> may do in {organizationName}.
            </>
          }
          action={changeMemberRole}
          fields={{ org, userId: member.userId }}
          confirmLabel="Save role"
          pendingLabel="Saving…"
          testId="change-role-dialog"
        >
          <div className="grid gap-2">
            <Label htmlFor="new-role">Role</Label>
            <Select
              id="new-role"
              name="role"
              defaultValue={member.role}
              data-testid="change-role-select"
            >
              {allowed.changeRoleTo.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </Select>
          </div>
        </ActionDialog>
      ) : null}
      {open === "remove" ? (
        <ActionDialog
          open
          onOpenChange={close}
          title="Remove member?"
          description={
            <>
              <strong>{member.email}</strong> loses access to {organizationName} at once. You can
              invite them again later.
            </>
          }
          action={removeMember}
          fields={{ org, userId: member.userId }}
          confirmLabel="Remove member"
          pendingLabel="Removing…"
          destructive
          testId="remove-member-dialog"
        />
      ) : null}
      {open === "transfer" ? (
        <ActionDialog
          open
          onOpenChange={close}
          title="Transfer ownership?"
          description={
            <>
              <strong>{member.email}</strong> becomes the owner of {organizationName}, and you
              become an admin. Only the new owner can transfer it back.
            </>
          }
          action={transferOwnership}
          fields={{ org, userId: member.userId }}
          confirmLabel="Transfer ownership"
          pendingLabel="Transferring…"
          destructive
          testId="transfer-ownership-dialog"
        />
      ) : null}
    </>
  );
}
