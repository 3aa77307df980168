"use client";

import { SendIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { idleState } from "@/lib/auth/action-state";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { inviteMember } from "./actions";

/** Invite by email with a role; the roles offered are the ones the inviter may hand out. */
export function InviteForm({ org, roles }: { org: string; roles: Role[] }) {
  const [state, action] = useActionState(inviteMember, idleState);
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") {
      toast.success(state.message ?? "Invitation sent.");
      formRef.current?.reset();
    }
  }, [state]);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const values = state.status === "error" ? state.values : {};
  return (
    <form
      ref={formRef}
      action={action}
      className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_11rem_auto] sm:items-start"
      data-testid="invite-form"
      noValidate
    >
      <input type="hidden" name="org" value={org} />
      <FormField id="invite-email" label="Email address" errors={errors.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="off"
            placeholder="teammate@company.com"
            required
            defaultValue={values.email ?? ""}
            data-testid="invite-email"
          />
        )}
      </FormField>
      <FormField id="invite-role" label="Role" errors={errors.role}>
        {(aria) => (
          <Select
            {...aria}
            name="role"
            defaultValue={values.role ?? "member"}
            data-testid="invite-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <SubmitButton className="sm:mt-6" pendingText="Sending…" data-testid="invite-submit">
        <SendIcon aria-hidden="true" />
        Send invite
      </SubmitButton>
      {state.status === "error" && !errors.email && !errors.role ? (
        <Alert variant="destructive" className="sm:col-span-3" data-testid="invite-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <dl className="grid gap-x-6 gap-y-1 text-xs text-muted-foreground sm:col-span-3 sm:grid-cols-2">
        {roles.map((r) => (
          <div key={r} className="flex gap-1.5">
            <dt className="font-medium text-foreground">{ROLE_LABELS[r]}</dt>
            <dd>{ROLE_DESCRIPTIONS[r]}</dd>
          </div>
        ))}
      </dl>
    </form>
  );
}
