"use client";

import { ShieldPlusIcon } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { OtpInput } from "@/components/auth/otp-input";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { idleState } from "@/lib/auth/action-state";
import { startTotpEnrollment, verifyTotpEnrollment } from "./actions";

/** Set up an authenticator app: start (QR + secret), then confirm with a first code. */
export function TotpEnroll() {
  const [started, start] = useActionState(startTotpEnrollment, idleState);
  const [verified, verify] = useActionState(verifyTotpEnrollment, idleState);
  const handled = useRef(verified);
  useEffect(() => {
    if (handled.current === verified) return;
    handled.current = verified;
    if (verified.status === "success") toast.success(verified.message ?? "Done.");
  }, [verified]);

  if (started.status !== "success" || verified.status === "success") {
    return (
      <form action={start} className="grid gap-3">
        {started.status === "error" ? (
          <Alert variant="destructive">
            <AlertDescription>{started.message}</AlertDescription>
          </Alert>
        ) : null}
        <div>
          <SubmitButton pendingText="Preparing…" data-testid="mfa-enroll-start">
            <ShieldPlusIcon aria-hidden="true" />
            Set up authenticator app
          </SubmitButton>
        </div>
      </form>
    );
  }
  const enrollment = started.data;
  const errors = verified.status === "error" ? verified.fieldErrors : {};
  return (
    <div className="grid gap-6 md:grid-cols-[auto_minmax(0,1fr)]" data-testid="mfa-enroll">
      <div className="grid justify-items-center gap-2 rounded-lg border bg-white p-3">
        {/* biome-ignore lint/performance/noImgElement: a data URL generated per request */}
        <img
          src={enrollment.qrDataUrl}
          alt="QR code to scan with your authenticator app"
          width={200}
          height={200}
          data-testid="mfa-qr"
        />
      </div>
      <div className="grid content-start gap-4">
        <ol className="grid list-decimal gap-1.5 pl-5 text-sm text-muted-foreground">
          <li>Open an authenticator app (1Password, Google Authenticator, Authy…).</li>
          <li>Scan the QR code, or enter this key by hand:</li>
        </ol>
        <code
          className="w-fit rounded-md bg-muted px-2 py-1 font-mono text-sm break-all"
          data-testid="mfa-secret"
        >
          {enrollment.secret}
        </code>
        <form action={verify} className="grid max-w-xs gap-3">
          <input type="hidden" name="factorId" value={enrollment.factorId} />
          <FormField id="enroll-code" label="Enter the 6-digit code it shows" errors={errors.code}>
            {(aria) => <OtpInput {...aria} required data-testid="mfa-enroll-code" />}
          </FormField>
          {verified.status === "error" && !errors.code ? (
            <Alert variant="destructive">
              <AlertDescription>{verified.message}</AlertDescription>
            </Alert>
          ) : null}
          <div>
            <SubmitButton pendingText="Verifying…" data-testid="mfa-enroll-verify">
              Turn on two-factor
            </SubmitButton>
          </div>
        </form>
      </div>
    </div>
  );
}
