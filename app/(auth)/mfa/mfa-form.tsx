"use client";

import { useActionState } from "react";
import { OtpInput } from "@/components/auth/otp-input";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, idleState } from "@/lib/auth/action-state";
import { verifyMfaChallenge } from "./actions";

export function MfaForm({ next }: { next: string }) {
  const [state, action] = useActionState(verifyMfaChallenge, idleState);
  return (
    <form action={action} className="grid gap-4" data-testid="mfa-form" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormField id="code" label="Authentication code" errors={fieldErrorsOf(state).code}>
        {(aria) => <OtpInput {...aria} autoFocus required data-testid="mfa-code" />}
      </FormField>
      <SubmitButton className="w-full" pendingText="Verifying…" data-testid="mfa-submit">
        Verify
      </SubmitButton>
    </form>
  );
}
