"use client";

import { ErrorState } from "@/components/error-state";

export default function TicketsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Tickets could not be loaded" />;
}
