"use client";

import { LogOutIcon, ShieldIcon } from "lucide-react";
import Link from "next/link";
import { useRef } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ROUTES } from "@/lib/auth/routes";

/** The signed-in user's menu: account security and sign-out. */
export function UserMenu({ email }: { email: string }) {
  // The form lives outside the menu: the menu unmounts its items as it closes.
  const signOutForm = useRef<HTMLFormElement>(null);
  return (
    <>
      <form ref={signOutForm} action={ROUTES.signOut} method="post" hidden />
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left text-sm transition-colors hover:bg-secondary focus-visible:ring-2 focus-visible:ring-ring"
          data-testid="user-menu"
        >
          <span className="sr-only">Account menu: </span>
          <span
            aria-hidden="true"
            className="grid size-7 shrink-0 place-items-center rounded-full bg-zinc-900 text-xs font-semibold text-white uppercase"
          >
            {email.slice(0, 1)}
          </span>
          <span className="min-w-0 flex-1 truncate text-muted-foreground">{email}</span>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" side="top" className="w-60">
          <DropdownMenuLabel className="truncate">{email}</DropdownMenuLabel>
          <DropdownMenuItem asChild>
            <Link href={ROUTES.accountSecurity} data-testid="account-security-link">
              <ShieldIcon aria-hidden="true" />
              Account security
            </Link>
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            onSelect={() => signOutForm.current?.requestSubmit()}
            data-testid="user-menu-sign-out"
          >
            <LogOutIcon aria-hidden="true" />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
