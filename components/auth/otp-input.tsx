import type * as React from "react";
import { Input } from "@/components/ui/input";

/** A six-digit one-time-code input: numeric keyboard, autofill from authenticator apps. */
export function OtpInput(props: React.ComponentProps<typeof Input>) {
  return (
    <Input
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      placeholder="123456"
      className="h-11 text-center font-mono text-lg tracking-[0.4em]"
      {...props}
    />
  );
}
