"use client";

import Link from "next/link";
import { useActionState } from "react";
import { initialFormState } from "@/app/_lib/form-state";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { resendConfirmation, signIn } from "./actions";

const TITLES: Record<string, string> = {
  invalid: "Could not sign in",
  unconfirmed: "Confirm your email first",
  locked: "Sign-in temporarily locked",
  other: "Could not sign in",
};

export function SignInForm({ next, email }: { next?: string; email?: string }) {
  const [state, action] = useActionState(signIn, initialFormState);
  const [resendState, resendAction] = useActionState(resendConfirmation, initialFormState);
  const typedEmail = state.values?.email ?? email ?? "";
  return (
    <div className="grid gap-5">
      {state.status === "error" && state.message ? (
        <Alert variant="destructive" data-testid={`sign-in-error-${state.code ?? "other"}`}>
          <AlertTitle>{TITLES[state.code ?? "other"] ?? "Could not sign in"}</AlertTitle>
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <form action={action} className="grid gap-4" data-testid="sign-in-form" noValidate>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <FormField id="email" label="Email" errors={state.fieldErrors?.email}>
          {(aria) => (
            <Input
              {...aria}
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={typedEmail}
              data-testid="sign-in-email"
            />
          )}
        </FormField>
        <FormField
          id="password"
          label="Password"
          errors={state.fieldErrors?.password}
          aside={
            <Link
              href="/forgot-password"
              className="text-xs font-medium text-primary hover:underline"
            >
              Forgot password?
            </Link>
          }
        >
          {(aria) => (
            <Input
              {...aria}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              data-testid="sign-in-password"
            />
          )}
        </FormField>
        <SubmitButton
          className="mt-1 w-full"
          pendingText="Signing in…"
          data-testid="sign-in-submit"
        >
          Sign in
        </SubmitButton>
      </form>
      {state.code === "unconfirmed" ? (
        <form action={resendAction} className="grid gap-2">
          <input type="hidden" name="email" value={typedEmail} />
          <SubmitButton variant="outline" pendingText="Sending…" data-testid="resend-confirmation">
            Send a new confirmation link
          </SubmitButton>
          {resendState.message ? (
            <p className="text-center text-xs text-muted-foreground" role="status">
              {resendState.message}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
