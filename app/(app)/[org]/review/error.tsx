"use client";

import { ErrorState } from "@/components/error-state";

export default function ReviewError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="The review queue could not be loaded" />;
}
