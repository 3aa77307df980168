"use client";

import Link from "next/link";
import { useActionState } from "react";
import { initialFormState } from "@/app/_lib/form-state";
import { NewPasswordField } from "@/components/auth/password-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { resetPassword } from "./actions";

export function ResetPasswordForm() {
  const [state, action] = useActionState(resetPassword, initialFormState);
  return (
    <form action={action} className="grid gap-4" data-testid="reset-password-form" noValidate>
      {state.status === "error" && state.message ? (
        <Alert variant="destructive">
          <AlertDescription>
            {state.message}{" "}
            {state.code === "expired" ? (
              <Link href="/forgot-password" className="font-medium underline">
                Send a new link
              </Link>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}
      <NewPasswordField
        label="New password"
        errors={state.fieldErrors?.password}
        testId="reset-password"
      />
      <FormField id="confirm" label="Repeat new password" errors={state.fieldErrors?.confirm}>
        {(aria) => (
          <Input
            {...aria}
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            data-testid="reset-password-confirm"
          />
        )}
      </FormField>
      <SubmitButton className="w-full" pendingText="Saving…" data-testid="reset-password-submit">
        Set new password
      </SubmitButton>
    </form>
  );
}
