"use client";

import { ErrorState } from "@/components/error-state";

export default function TicketError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="This ticket could not be loaded" />;
}
