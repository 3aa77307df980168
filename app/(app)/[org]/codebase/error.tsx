"use client";

import { ErrorState } from "@/components/error-state";

export default function CodebaseError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="The codebase could not be loaded" />;
}
