"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { connectZendesk } from "./actions";

/** Zendesk asks for the account first: the subdomain decides which Zendesk we send you to. */
export function ZendeskConnectForm({ org, disabled }: { org: string; disabled: boolean }) {
  const [state, action] = useActionState(connectZendesk, idleState);
  const errors = fieldErrorsOf(state);
  const message = formMessage(state);
  return (
    <form action={action} className="grid gap-3" data-testid="zendesk-connect-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <FormField
        id="zendesk-subdomain"
        label="Zendesk subdomain"
        errors={errors.subdomain}
        hint="The part before .zendesk.com, e.g. acme for acme.zendesk.com."
      >
        {(aria) => (
          <div className="flex max-w-md items-center gap-2">
            <Input
              {...aria}
              name="subdomain"
              required
              autoComplete="off"
              spellCheck={false}
              placeholder="acme"
              defaultValue={valuesOf(state).subdomain ?? ""}
              disabled={disabled}
              data-testid="zendesk-subdomain"
            />
            <span className="shrink-0 text-sm text-muted-foreground">.zendesk.com</span>
          </div>
        )}
      </FormField>
      {message ? (
        <Alert variant="destructive" data-testid="zendesk-connect-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton
          pendingText="Opening Zendesk…"
          disabled={disabled}
          data-testid="zendesk-connect"
        >
          Connect Zendesk
        </SubmitButton>
      </div>
    </form>
  );
}
