"use client";

import { ErrorState } from "@/components/error-state";

export default function BillingError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Billing could not be loaded" />;
}
