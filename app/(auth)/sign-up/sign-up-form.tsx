"use client";

import { useActionState } from "react";
import { initialFormState } from "@/app/_lib/form-state";
import { NewPasswordField } from "@/components/auth/password-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { signUp } from "./actions";

export function SignUpForm({ next, email }: { next?: string; email?: string }) {
  const [state, action] = useActionState(signUp, initialFormState);
  return (
    <form action={action} className="grid gap-4" data-testid="sign-up-form" noValidate>
      {state.status === "error" && state.message ? (
        <Alert variant="destructive" data-testid="sign-up-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField id="email" label="Work email" errors={state.fieldErrors?.email}>
        {(aria) => (
          <Input
            {...aria}
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={state.values?.email ?? email ?? ""}
            data-testid="sign-up-email"
          />
        )}
      </FormField>
      <NewPasswordField errors={state.fieldErrors?.password} testId="sign-up-password" />
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
