"use client";

import { useActionState } from "react";
import { initialFormState } from "@/app/_lib/form-state";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { requestPasswordReset } from "./actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordReset, initialFormState);
  return (
    <form action={action} className="grid gap-4" data-testid="forgot-password-form" noValidate>
      {state.status === "error" && state.message ? (
        <Alert variant="destructive">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="email" label="Email" errors={state.fieldErrors?.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={state.values?.email ?? ""}
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
