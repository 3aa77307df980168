"use client";

import { LockIcon } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { saveNotificationPreferences } from "./actions";

export interface PreferenceFormRow {
  type: string;
  label: string;
  description: string;
  inApp: boolean;
  email: boolean;
  lockedInApp: boolean;
  lockedEmail: boolean;
  emailOnly: boolean;
  adminOnly: boolean;
}

/** One checkbox per channel and event; locked channels are shown on and cannot be changed. */
function Channel({
  name,
  label,
  checked,
  locked,
}: {
  name: string;
  label: string;
  checked: boolean;
  locked: boolean;
}) {
  return (
    <span className="inline-flex items-center gap-2">
      <input
        type="checkbox"
        name={name}
        id={name}
        defaultChecked={checked || locked}
        disabled={locked}
        aria-label={label}
        aria-describedby={locked ? `${name}-locked` : undefined}
        className="size-4 rounded border-input accent-zinc-900 focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
        data-testid={`pref-${name}`}
      />
      {locked ? (
        <span
          id={`${name}-locked`}
          className="inline-flex items-center gap-1 text-xs text-muted-foreground"
        >
          <LockIcon className="size-3" aria-hidden="true" />
          Always on
        </span>
      ) : null}
    </span>
  );
}

export function PreferencesForm({ org, rows }: { org: string; rows: PreferenceFormRow[] }) {
  const [state, action] = useToastedAction(saveNotificationPreferences);
  return (
    <form action={action} className="grid gap-4" data-testid="notification-preferences">
      <input type="hidden" name="org" value={org} />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b text-left text-muted-foreground">
              <th scope="col" className="py-2 pr-4 font-medium">
                Event
              </th>
              <th scope="col" className="w-36 py-2 pr-4 font-medium">
                In the app
              </th>
              <th scope="col" className="w-36 py-2 font-medium">
                Email
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.type}
                className="border-b last:border-0"
                data-testid={`pref-row-${row.type}`}
              >
                <th scope="row" className="py-3 pr-4 text-left font-normal">
                  <span className="flex items-center gap-2 font-medium">
                    {row.label}
                    {row.adminOnly ? <Badge variant="secondary">Owners and admins</Badge> : null}
                  </span>
                  <span className="text-muted-foreground">{row.description}</span>
                </th>
                <td className="py-3 pr-4">
                  {row.emailOnly ? (
                    <span className="text-muted-foreground">Email only</span>
                  ) : (
                    <Channel
                      name={`${row.type}.in_app`}
                      label={`${row.label} in the app`}
                      checked={row.inApp}
                      locked={row.lockedInApp}
                    />
                  )}
                </td>
                <td className="py-3">
                  <Channel
                    name={`${row.type}.email`}
                    label={`${row.label} by email`}
                    checked={row.email}
                    locked={row.lockedEmail}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {state.status === "error" ? (
        <Alert variant="destructive" data-testid="preferences-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Saving…" data-testid="preferences-save">
          Save
        </SubmitButton>
      </div>
    </form>
  );
}
