"use client";

import type * as React from "react";
import { useCallback } from "react";
import { cn } from "./cn";
import { restoreTypedText } from "./typed-before-hydration";

/**
 * A multi-line text input, styled like `Input`; `aria-invalid` turns the border red. Text typed
 * into it before the page hydrates is kept (see `typed-before-hydration.ts`).
 */
export function Textarea({ className, ref, ...props }: React.ComponentProps<"textarea">) {
  const keepTyped = useCallback(
    (element: HTMLTextAreaElement | null) => {
      if (element) restoreTypedText(element);
      if (typeof ref === "function") return ref(element);
      if (ref) ref.current = element;
    },
    [ref],
  );
  return (
    <textarea
      ref={keepTyped}
      className={cn(
        "flex min-h-20 w-full rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs transition-colors placeholder:text-muted-foreground/80 outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30 disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-destructive aria-invalid:ring-destructive/20",
        className,
      )}
      {...props}
    />
  );
}
