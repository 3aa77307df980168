import type * as React from "react";
import { cn } from "./cn";
import { Label } from "./label";

export interface FormFieldProps {
  /** The `id` of the control inside; the label points at it. */
  id: string;
  label: React.ReactNode;
  /** Shown under the control before the user makes a mistake. */
  hint?: React.ReactNode;
  /** Errors for this field (from the server action's zod result); announced and linked. */
  errors?: readonly string[] | undefined;
  /** Something to show at the right of the label, e.g. a "Forgot password?" link. */
  aside?: React.ReactNode;
  className?: string;
  /** Receives the aria attributes to put on the control. */
  children: (aria: {
    id: string;
    "aria-invalid": boolean | undefined;
    "aria-describedby": string | undefined;
  }) => React.ReactNode;
}

/**
 * A label, a control, an optional hint and the field's errors, wired together for assistive
 * technology: the control gets `aria-invalid` and `aria-describedby` pointing at hint and errors.
 */
export function FormField({ id, label, hint, errors, aside, className, children }: FormFieldProps) {
  const hasErrors = Boolean(errors && errors.length > 0);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = hasErrors ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    // content-start: beside a taller field (one showing errors) in a grid row, keep the label on top
    // instead of spreading the extra height between label, control and hint
    <div className={cn("grid content-start gap-2", className)}>
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {aside}
      </div>
      {children({ id, "aria-invalid": hasErrors || undefined, "aria-describedby": describedBy })}
      {hint ? (
        <div id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </div>
      ) : null}
      {hasErrors ? (
        <ul
          id={errorId}
          className="grid gap-0.5 text-xs font-medium text-destructive"
          data-testid={`${id}-error`}
        >
          {errors?.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
