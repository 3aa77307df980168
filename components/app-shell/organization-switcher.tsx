"use client";

import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { orgRoutes, ROUTES } from "@/lib/auth/routes";

export interface SwitcherOrganization {
  slug: string;
  name: string;
  roleLabel: string;
}

function Initial({ name }: { name: string }) {
  return (
    <span
      aria-hidden="true"
      className="grid size-7 shrink-0 place-items-center rounded-md bg-primary/10 text-xs font-semibold text-primary uppercase"
    >
      {name.slice(0, 1)}
    </span>
  );
}

/** Shows the current workspace and lets the user jump to another one or create a new one. */
export function OrganizationSwitcher({
  current,
  organizations,
}: {
  current: SwitcherOrganization;
  organizations: SwitcherOrganization[];
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full items-center gap-2.5 rounded-lg border bg-card px-2 py-1.5 text-left shadow-xs transition-colors hover:bg-secondary focus-visible:ring-2 focus-visible:ring-ring"
        data-testid="workspace-switcher"
      >
        <span className="sr-only">Switch workspace. Current: </span>
        <Initial name={current.name} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium" data-testid="current-workspace">
            {current.name}
          </span>
          <span className="block truncate text-xs text-muted-foreground">{current.roleLabel}</span>
        </span>
        <ChevronsUpDownIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
        {organizations.map((organization) => (
          <DropdownMenuItem key={organization.slug} asChild>
            <Link
              href={orgRoutes(organization.slug).home}
              data-testid={`switch-to-${organization.slug}`}
            >
              <Initial name={organization.name} />
              <span className="min-w-0 flex-1 truncate">{organization.name}</span>
              {organization.slug === current.slug ? (
                <CheckIcon className="!text-primary" aria-label="Current workspace" />
              ) : null}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href={ROUTES.onboarding} data-testid="create-workspace-link">
            <PlusIcon aria-hidden="true" />
            Create workspace
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
