"use client";

import { ErrorState } from "@/components/error-state";

export default function AuditError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="The audit log could not be loaded" />;
}
