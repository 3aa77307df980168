"use client";

import Link from "next/link";
import { useActionState } from "react";
import { NewPasswordField } from "@/components/auth/password-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage, idleState } from "@/lib/auth/action-state";
import { ROUTES } from "@/lib/auth/routes";
import { resetPassword } from "./actions";

export function ResetPasswordForm() {
  const [state, action] = useActionState(resetPassword, idleState);
  const message = formMessage(state);
  const errors = fieldErrorsOf(state);
  return (
    <form action={action} className="grid gap-4" data-testid="reset-password-form" noValidate>
      {message ? (
        <Alert variant="destructive">
          <AlertDescription>
            {message}{" "}
            {state.status === "error" && state.reason === "expired" ? (
              <Link href={ROUTES.forgotPassword} className="font-medium underline">
                Send a new link
              </Link>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}
      <NewPasswordField label="New password" errors={errors.password} testId="reset-password" />
      <FormField id="confirm" label="Repeat new password" errors={errors.confirm}>
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
