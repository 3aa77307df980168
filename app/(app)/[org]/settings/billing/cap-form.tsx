"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { fieldErrorsOf, formMessage, valuesOf } from "@/lib/auth/action-state";
import { saveCap } from "./actions";

/** The overage cap; read-only for admins (the owner sets it). */
export function CapForm({
  org,
  cap,
  allowance,
  disabled,
}: {
  org: string;
  cap: number;
  allowance: number;
  disabled: boolean;
}) {
  const [state, action] = useToastedAction(saveCap);
  const errors = fieldErrorsOf(state);
  const error = state.status === "error" && !errors.cap ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid gap-3" data-testid="cap-form">
      <input type="hidden" name="org" value={org} />
      <div className="flex w-full max-w-xl flex-col gap-3 sm:flex-row sm:items-start">
        <FormField
          id="overage-cap"
          label="Overage cap (Mapped Bugs per period)"
          hint={
            disabled
              ? "Only the owner can change the cap."
              : `At ${allowance} (the allowance) new bugs past it wait; higher, they are billed as overage up to the cap.`
          }
          errors={errors.cap}
          className="w-full"
        >
          {(aria) => (
            <Input
              {...aria}
              name="cap"
              type="number"
              min={1}
              defaultValue={valuesOf(state).cap ?? String(cap)}
              disabled={disabled}
              data-testid="cap-input"
            />
          )}
        </FormField>
        {disabled ? null : (
          // level with the input: below the label, not the hint
          <SubmitButton
            variant="outline"
            pendingText="Saving…"
            className="self-start sm:mt-[1.375rem] sm:shrink-0"
            data-testid="cap-save"
          >
            Save cap
          </SubmitButton>
        )}
      </div>
      {error ? (
        <Alert variant="destructive" className="w-full">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}
