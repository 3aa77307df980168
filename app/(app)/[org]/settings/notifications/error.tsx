"use client";

import { ErrorState } from "@/components/error-state";

export default function NotificationSettingsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorState error={error} reset={reset} title="Notification settings could not be loaded" />
  );
}
