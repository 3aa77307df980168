"use client";

import { ErrorState } from "@/components/error-state";

export default function MembersError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Members could not be loaded" />;
}
