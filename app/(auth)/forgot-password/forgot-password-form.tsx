"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { requestPasswordReset } from "./actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordReset, idleState);
  const message = formMessage(state);
  return (
    <form action={action} className="grid gap-4" data-testid="forgot-password-form" noValidate>
      {message ? (
        <Alert variant="destructive">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="email" label="Email" errors={fieldErrorsOf(state).email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={valuesOf(state).email ?? ""}
            data-testid="forgot-password-email"
          />
        )}
      </FormField>
      <SubmitButton className="w-full" pendingText="Sending…" data-testid="forgot-password-submit">
        Send reset link
      </SubmitButton>
    </form>
  );
}
