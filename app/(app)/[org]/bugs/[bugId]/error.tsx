"use client";

import { ErrorState } from "@/components/error-state";

export default function BugError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="This bug could not be loaded" />;
}
