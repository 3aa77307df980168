"use client";

import {
  BellIcon,
  BugIcon,
  CreditCardIcon,
  FolderGit2Icon,
  HomeIcon,
  InboxIcon,
  ListChecksIcon,
  type LucideIcon,
  PlugIcon,
  RocketIcon,
  ScrollTextIcon,
  SettingsIcon,
  UsersIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export interface NavItem {
  href: string;
  label: string;
  icon:
    | "home"
    | "members"
    | "settings"
    | "integrations"
    | "billing"
    | "audit"
    | "bugs"
    | "review"
    | "tickets"
    | "codebase"
    | "shipped"
    | "notifications";
  testId: string;
}

const ICONS: Record<NavItem["icon"], LucideIcon> = {
  home: HomeIcon,
  members: UsersIcon,
  settings: SettingsIcon,
  integrations: PlugIcon,
  billing: CreditCardIcon,
  audit: ScrollTextIcon,
  bugs: BugIcon,
  review: ListChecksIcon,
  tickets: InboxIcon,
  codebase: FolderGit2Icon,
  shipped: RocketIcon,
  notifications: BellIcon,
};

/** The workspace's sections; the current one is marked for sighted and screen-reader users. */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap gap-1 lg:flex-col">
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        // the most specific entry wins: on /acme/settings/integrations only Integrations is current
        const matches = (href: string) =>
          href.split("/").length <= 2
            ? pathname === href
            : pathname === href || pathname.startsWith(`${href}/`);
        const active =
          matches(item.href) &&
          !items.some((other) => other.href.length > item.href.length && matches(other.href));
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              data-testid={item.testId}
              className={cn(
                "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-secondary hover:text-foreground",
                active && "bg-card text-foreground shadow-xs ring-1 ring-border",
              )}
            >
              <Icon className={cn("size-4", active && "text-primary")} aria-hidden="true" />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
