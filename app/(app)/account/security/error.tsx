"use client";

import { ErrorState } from "@/components/error-state";

export default function SecurityError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Account security could not be loaded" />;
}
