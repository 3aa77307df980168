"use client";

import { useActionState } from "react";
import { NewPasswordField } from "@/components/auth/password-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { signUp } from "./actions";

export function SignUpForm({ next, email }: { next?: string; email?: string }) {
  const [state, action] = useActionState(signUp, idleState);
  const message = formMessage(state);
  const errors = fieldErrorsOf(state);
  return (
    <form action={action} className="grid gap-4" data-testid="sign-up-form" noValidate>
      {message ? (
        <Alert variant="destructive" data-testid="sign-up-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField id="email" label="Work email" errors={errors.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={valuesOf(state).email ?? email ?? ""}
            data-testid="sign-up-email"
          />
        )}
      </FormField>
      <NewPasswordField errors={errors.password} testId="sign-up-password" />
      <SubmitButton
        className="mt-1 w-full"
        pendingText="Creating account…"
        data-testid="sign-up-submit"
      >
        Create account
      </SubmitButton>
    </form>
  );
}
