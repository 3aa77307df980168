"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { formMessage, idleState } from "@/lib/auth/action-state";
import { changeGitHubAccess, connectGitHub, connectIntercom } from "./actions";

const FLOWS = {
  intercom: { action: connectIntercom, label: "Connect Intercom", pending: "Opening Intercom…" },
  github: { action: connectGitHub, label: "Install the GitHub App", pending: "Opening GitHub…" },
  "github-access": {
    action: changeGitHubAccess,
    label: "Change access on GitHub",
    pending: "Opening GitHub…",
  },
} as const;

/** A one-button form that starts a provider flow (the action redirects to the provider). */
export function ConnectButton({
  org,
  flow,
  disabled,
  variant,
}: {
  org: string;
  flow: keyof typeof FLOWS;
  disabled?: boolean;
  variant?: "default" | "outline";
}) {
  const { action: run, label, pending } = FLOWS[flow];
  const [state, action] = useActionState(run, idleState);
  const message = formMessage(state);
  return (
    <form action={action} className="grid gap-3" data-testid={`${flow}-connect-form`}>
      <input type="hidden" name="org" value={org} />
      {message ? (
        <Alert variant="destructive" data-testid={`${flow}-connect-error`}>
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton
          pendingText={pending}
          disabled={disabled}
          variant={variant}
          data-testid={`${flow}-connect`}
        >
          {label}
        </SubmitButton>
      </div>
    </form>
  );
}
