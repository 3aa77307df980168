"use client";

import { ErrorState } from "@/components/error-state";

export default function OrganizationError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="This workspace page failed to load" />;
}
