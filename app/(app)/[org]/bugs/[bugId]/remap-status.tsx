"use client";

import { AlertTriangleIcon, LoaderCircleIcon, RotateCcwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { formMessage, idleState } from "@/lib/auth/action-state";
import { retryRemap } from "./remap-actions";

/** After this long the notice says so, instead of promising a result any second. */
const SLOW_AFTER_MS = 60_000;

/**
 * Shown while the bug's locations answer an older version of its fields than the last edit: says
 * "Re-mapping…" and re-renders the page every few seconds, so the new locations appear without
 * a reload; the server stops rendering it once the job recorded the re-map.
 */
export function RemapProgress({
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

/**
 * Shown when re-mapping the latest edit failed after every retry: says so (the locations are from
 * before the edit) and offers a retry to members who may edit; no refreshing, nothing is running.
 */
export function RemapFailed({
  org,
  bugId,
  message,
  mayRetry,
}: {
  org: string;
  bugId: string;
  message: string;
  mayRetry: boolean;
}) {
  const [state, action] = useActionState(retryRemap, idleState);
  const router = useRouter();
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") {
      toast.success(state.message ?? "Re-mapping started again.");
      router.refresh();
    }
    if (state.status === "error") toast.error(formMessage(state) ?? "Re-mapping could not start.");
  }, [state, router]);
  return (
    <Alert variant="destructive" className="mb-6" data-testid="bug-remap-failed">
      <AlertTriangleIcon aria-hidden="true" />
      <AlertTitle>Re-mapping failed</AlertTitle>
      <AlertDescription className="grid gap-2">
        <p>
          {message} The locations below are from before your last edit; your edit itself is saved.
        </p>
        {mayRetry ? (
          <form action={action}>
            <input type="hidden" name="org" value={org} />
            <input type="hidden" name="bugId" value={bugId} />
            <SubmitButton
              variant="outline"
              size="sm"
              pendingText="Starting…"
              data-testid="bug-remap-retry"
            >
              <RotateCcwIcon aria-hidden="true" />
              Retry re-mapping
            </SubmitButton>
          </form>
        ) : (
          <p>A member who can edit bugs can retry it.</p>
        )}
      </AlertDescription>
    </Alert>
  );
}
