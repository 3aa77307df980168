import { LogOutIcon } from "lucide-react";
import { signOut } from "@/app/auth/sign-out/actions";
import { Button, type ButtonProps } from "@/components/ui/button";

/** A form with one button posting to the sign-out action; works without JavaScript. */
export function SignOutButton({ withIcon, ...props }: ButtonProps & { withIcon?: boolean }) {
  return (
    <form action={signOut}>
      <Button type="submit" variant="ghost" data-testid="sign-out" {...props}>
        {withIcon ? <LogOutIcon aria-hidden="true" /> : null}
        Sign out
      </Button>
    </form>
  );
}
