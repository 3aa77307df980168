"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page every few seconds while an index is queued or running, so progress moves
 * without a reload; stops once nothing is in flight (the server decides `active`).
 */
export function RefreshWhileIndexing({
  active,
  everyMs = 3000,
}: {
  active: boolean;
  everyMs?: number;
}) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, router]);
  return null;
}
