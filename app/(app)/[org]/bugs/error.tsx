"use client";

import { ErrorState } from "@/components/error-state";

export default function BugsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Bugs could not be loaded" />;
}
