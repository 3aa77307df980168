import { KeyRoundIcon, ShieldCheckIcon, SmartphoneIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ROUTES } from "@/lib/auth/routes";
import { requireUser } from "@/lib/auth/session";
import { createClient } from "@/lib/supabase/server";
import { RemoveFactorButton } from "./remove-factor-button";
import { TotpEnroll } from "./totp-enroll";

export const metadata: Metadata = { title: "Account security" };

export default async function SecurityPage() {
  const user = await requireUser(ROUTES.accountSecurity);
  const supabase = await createClient();
  const { data } = await supabase.auth.mfa.listFactors();
  const verified = (data?.totp ?? []).filter((f) => f.status === "verified");
  return (
    <>
      <PageHeader title="Account security" description={`Sign-in settings for ${user.email}.`} />
      <div className="grid grid-cols-1 gap-8">
        <Card data-testid="mfa-card">
          <CardHeader>
            <div className="flex items-center justify-between gap-4">
              <CardTitle>Two-factor authentication</CardTitle>
              {verified.length > 0 ? (
                <Badge variant="success" data-testid="mfa-status">
                  <ShieldCheckIcon aria-hidden="true" />
                  On
                </Badge>
              ) : (
                <Badge variant="secondary" data-testid="mfa-status">
                  Off
                </Badge>
              )}
            </div>
            <CardDescription>
              After your password, Patchline asks for a 6-digit code from an authenticator app on
              your phone. Someone who learns your password still cannot sign in.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {verified.length > 0 ? (
              <ul className="divide-y rounded-lg border" data-testid="mfa-factors">
                {verified.map((f) => (
                  <li key={f.id} className="flex items-center gap-3 p-4">
                    <SmartphoneIcon className="size-4 text-muted-foreground" aria-hidden="true" />
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium">
                        {f.friendly_name || "Authenticator app"}
                      </p>
                      <p className="text-xs text-muted-foreground">
                        Added {formatDate(f.created_at)}
                      </p>
                    </div>
                    <RemoveFactorButton
                      factorId={f.id}
                      name={f.friendly_name || "this authenticator"}
                    />
                  </li>
                ))}
              </ul>
            ) : (
              <TotpEnroll />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Password</CardTitle>
            <CardDescription>
              To change your password, we email you a link; it signs you out on every device.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Button asChild variant="outline">
              <Link href={ROUTES.forgotPassword}>
                <KeyRoundIcon aria-hidden="true" />
                Change password
              </Link>
            </Button>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
