"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { ROUTES } from "@/lib/auth/routes";
import { resendConfirmation, signIn } from "./actions";

const TITLES: Record<string, string> = {
  invalid: "Could not sign in",
  unconfirmed: "Confirm your email first",
  locked: "Sign-in temporarily locked",
  other: "Could not sign in",
};

export function SignInForm({ next, email }: { next?: string; email?: string }) {
  const [state, action] = useActionState(signIn, idleState);
  const [resendState, resendAction] = useActionState(resendConfirmation, idleState);
  const typedEmail = valuesOf(state).email ?? email ?? "";
  const message = formMessage(state);
  const reason = (state.status === "error" && state.reason) || "other";
  const errors = fieldErrorsOf(state);
  const resendMessage = formMessage(resendState);
  return (
    <div className="grid gap-5">
      {message ? (
        <Alert variant="destructive" data-testid={`sign-in-error-${reason}`}>
          <AlertTitle>{TITLES[reason] ?? "Could not sign in"}</AlertTitle>
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <form action={action} className="grid gap-4" data-testid="sign-in-form" noValidate>
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <FormField id="email" label="Email" errors={errors.email}>
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
          errors={errors.password}
          aside={
            <Link
              href={ROUTES.forgotPassword}
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
      {reason === "unconfirmed" ? (
        <form action={resendAction} className="grid gap-2">
          <input type="hidden" name="email" value={typedEmail} />
          <SubmitButton variant="outline" pendingText="Sending…" data-testid="resend-confirmation">
            Send a new confirmation link
          </SubmitButton>
          {resendMessage ? (
            <p className="text-center text-xs text-muted-foreground" role="status">
              {resendMessage}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
