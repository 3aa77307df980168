import { LogOutIcon } from "lucide-react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { ROUTES } from "@/lib/auth/routes";

/** A form with one button posting to /sign-out; works without JavaScript. */
export function SignOutButton({ withIcon, ...props }: ButtonProps & { withIcon?: boolean }) {
  return (
    <form action={ROUTES.signOut} method="post">
      <Button type="submit" variant="ghost" data-testid="sign-out" {...props}>
        {withIcon ? <LogOutIcon aria-hidden="true" /> : null}
        Sign out
      </Button>
    </form>
  );
}
