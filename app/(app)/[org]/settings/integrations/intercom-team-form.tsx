"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { fieldErrorsOf, formMessage, idleState } from "@/lib/auth/action-state";
import { chooseIntercomTeam } from "./actions";

/** The Intercom team whose conversations reach Patchline. */
export function IntercomTeamForm({
  org,
  teams,
  current,
}: {
  org: string;
  teams: { id: string; name: string }[];
  current: string | null;
}) {
  const [state, action] = useActionState(chooseIntercomTeam, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
  }, [state]);
  const message = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid gap-3" data-testid="intercom-team-form">
      <input type="hidden" name="org" value={org} />
      <FormField id="intercom-team" label="Team" errors={fieldErrorsOf(state).team_id}>
        {(aria) => (
          // the width is set on a wrapper: Select's chevron sits at the right of its own box
          <div className="max-w-xs">
            <Select {...aria} name="team_id" defaultValue={current ?? ""}>
              <option value="" disabled>
                Pick a team
              </option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </div>
        )}
      </FormField>
      {message ? (
        <Alert variant="destructive">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="outline" pendingText="Saving…" data-testid="intercom-team-save">
          Save team
        </SubmitButton>
      </div>
    </form>
  );
}
