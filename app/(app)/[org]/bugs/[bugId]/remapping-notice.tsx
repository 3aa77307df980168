"use client";

import { LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** After this long the notice says so, instead of promising a result any second. */
const SLOW_AFTER_MS = 60_000;

/**
 * Shown while the bug's locations answer an older version of its fields than the last edit: says
 * "Re-mapping…" and re-renders the page every few seconds, so the new locations appear without
 * a reload; the server stops rendering it once the job recorded the re-map.
 */
export function RemappingNotice({
  editedAt,
  everyMs = 2000,
}: {
  editedAt: string;
  everyMs?: number;
}) {
  const router = useRouter();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => {
      router.refresh();
      setSlow(Date.now() - Date.parse(editedAt) > SLOW_AFTER_MS);
    }, everyMs);
    return () => clearInterval(timer);
  }, [editedAt, everyMs, router]);
  return (
    <Alert variant="info" className="mb-6" data-testid="bug-remapping">
      <LoaderCircleIcon aria-hidden="true" className="motion-safe:animate-spin" />
      <AlertTitle>Re-mapping…</AlertTitle>
      <AlertDescription>
        {slow
          ? "Re-mapping is taking longer than usual. The locations below are from before your edit; this page updates when the new ones are in, or save the bug again to retry."
          : "Your edit is being mapped to code again. The locations below are from before it; this page updates in a few seconds."}
      </AlertDescription>
    </Alert>
  );
}
