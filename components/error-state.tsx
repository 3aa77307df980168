"use client";

import { AlertTriangleIcon, RotateCwIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ROUTES } from "@/lib/auth/routes";

/**
 * What an `error.tsx` shows: that something failed, a retry, and a reference to quote to
 * support. The error's message is never shown; it may hold internals.
 */
export function ErrorState({
  error,
  reset,
  title = "Something went wrong",
}: {
  error: Error & { digest?: string };
  reset: () => void;
  title?: string;
}) {
  return (
    <div
      className="mx-auto flex max-w-md flex-col items-center py-16 text-center"
      role="alert"
      data-testid="error-state"
    >
      <span className="grid size-11 place-items-center rounded-full bg-destructive/10 text-destructive">
        <AlertTriangleIcon className="size-5" aria-hidden="true" />
      </span>
      <h1 className="mt-4 text-lg font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        We could not load this page. Your data is safe; try again, and if it keeps failing, contact
        support
        {error.digest ? (
          <>
            {" "}
            with reference <code className="font-mono text-xs">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex gap-2">
        <Button onClick={reset}>
          <RotateCwIcon aria-hidden="true" />
          Try again
        </Button>
        <Button variant="outline" asChild>
          <Link href={ROUTES.home}>Home</Link>
        </Button>
      </div>
    </div>
  );
}
