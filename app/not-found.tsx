import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Button } from "@/components/ui/button";
import { ROUTES } from "@/lib/auth/routes";

export default function NotFound() {
  return (
    <main className="grid min-h-dvh place-items-center px-6" data-testid="not-found">
      <div className="flex max-w-md flex-col items-center text-center">
        <Logo className="mb-10" />
        <p className="text-sm font-semibold text-primary">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-3 text-sm text-muted-foreground">
          This page does not exist, or you do not have access to it. If someone shared a link with
          you, ask them to invite you to their workspace.
        </p>
        <Button asChild className="mt-8">
          <Link href={ROUTES.home}>Go to your workspaces</Link>
        </Button>
      </div>
    </main>
  );
}
