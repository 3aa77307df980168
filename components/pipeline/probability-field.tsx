import type * as React from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

/**
 * A labelled number input for a probability from 0 to 1 in steps of 0.01 (a confidence gate, the
 * auto-fix threshold), with its hint and the action's errors beside it. The server parses it
 * with `probabilityInput()` (lib/pipeline/probability-input.ts): empty is an error, not 0.
 * Pass `defaultValue` for a plain field or `value`/`onChange` to follow it as it is typed.
 */
export function ProbabilityField({
  id,
  name,
  label,
  hint,
  errors,
  ...input
}: {
  id: string;
  name: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  errors?: readonly string[] | undefined;
} & Pick<
  React.ComponentProps<"input">,
  "defaultValue" | "value" | "onChange" | "disabled" | "required"
> & { "data-testid"?: string }) {
  return (
    <FormField id={id} label={label} errors={errors} hint={hint}>
      {(aria) => (
        <Input
          {...aria}
          {...input}
          name={name}
          type="number"
          inputMode="decimal"
          min={0}
          max={1}
          step={0.01}
          className="max-w-32"
        />
      )}
    </FormField>
  );
}
