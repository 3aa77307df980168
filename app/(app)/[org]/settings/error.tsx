"use client";

import { ErrorState } from "@/components/error-state";

export default function SettingsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorState error={error} reset={reset} title="Settings could not be loaded" />;
}
