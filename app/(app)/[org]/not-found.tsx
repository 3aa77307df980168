import { SearchXIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";
import { ROUTES } from "@/lib/auth/routes";

export default function OrganizationNotFound() {
  return (
    <div data-testid="not-found">
      <EmptyState
        icon={SearchXIcon}
        title="Page not found"
        action={
          <Button asChild>
            <Link href={ROUTES.home}>Go to your workspaces</Link>
          </Button>
        }
      >
        This page does not exist, or you do not have access to it.
      </EmptyState>
    </div>
  );
}
