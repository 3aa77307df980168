"use client";

import { CheckIcon, CircleIcon, InfoIcon } from "lucide-react";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { PASSWORD_RULES } from "@/lib/auth/password-rules";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/schemas";

/**
 * A new-password field that lists the rules up front and ticks off the ones the browser can
 * check as the person types; the server's `weak_password` reasons arrive as `errors` and show
 * beside the field.
 */
export function NewPasswordField({
  id = "password",
  label = "Password",
  errors,
  testId,
}: {
  id?: string;
  label?: string;
  errors?: readonly string[];
  testId?: string;
}) {
  const [value, setValue] = useState("");
  return (
    <FormField
      id={id}
      label={label}
      errors={errors}
      hint={
        <ul className="grid gap-1" aria-label="Password requirements" data-testid="password-rules">
          {PASSWORD_RULES.map((rule) => {
            const ok = rule.test ? rule.test(value) : null;
            return (
              <li
                key={rule.id}
                className={cn("flex items-center gap-1.5", ok && "text-success")}
                data-rule={rule.id}
                data-met={ok === null ? "server" : String(ok)}
              >
                {ok === null ? (
                  <InfoIcon className="size-3.5" aria-hidden="true" />
                ) : ok ? (
                  <CheckIcon className="size-3.5" aria-hidden="true" />
                ) : (
                  <CircleIcon className="size-3" aria-hidden="true" />
                )}
                <span>
                  {rule.label}
                  {ok === null ? null : (
                    <span className="sr-only">{ok ? " (met)" : " (not met yet)"}</span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      }
    >
      {(aria) => (
        <Input
          {...aria}
          name={id}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid={testId}
        />
      )}
    </FormField>
  );
}
