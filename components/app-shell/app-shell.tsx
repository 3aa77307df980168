import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { LogoMark } from "@/components/brand/logo";
import { type NavItem, NavLinks } from "./nav-links";
import { OrganizationSwitcher, type SwitcherOrganization } from "./organization-switcher";
import { UserMenu } from "./user-menu";

/**
 * The frame around every signed-in page: a sidebar (switcher, sections, account) that
 * becomes a top bar on narrow screens, and the page beside it. One DOM for both layouts.
 */
export function AppShell({
  current,
  organizations,
  nav,
  email,
  back,
  bell,
  children,
}: {
  current?: SwitcherOrganization;
  organizations: SwitcherOrganization[];
  nav: NavItem[];
  email: string;
  /** A way back to a workspace, for pages outside one (account settings). */
  back?: { href: string; label: string };
  /** The notification bell of the current workspace. */
  bell?: React.ReactNode;
  children: React.ReactNode;
}) {
  const home = current ? `/${current.slug}` : "/";
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <div className="border-b bg-muted/50 lg:border-r lg:border-b-0">
        <aside className="flex flex-col gap-4 px-3 py-3 lg:sticky lg:top-0 lg:h-dvh lg:gap-6 lg:py-4">
          <div className="flex items-center justify-between gap-2">
            <Link
              href={home}
              className="flex w-fit items-center gap-2 rounded-md px-2"
              aria-label="Patchline home"
            >
              <LogoMark className="size-6" />
              <span className="text-sm font-semibold tracking-tight">Patchline</span>
            </Link>
            {bell}
          </div>
          {current ? (
            <OrganizationSwitcher current={current} organizations={organizations} />
          ) : null}
          {back ? (
            <Link
              href={back.href}
              className="flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-muted-foreground hover:bg-secondary hover:text-foreground"
            >
              <ArrowLeftIcon className="size-4" aria-hidden="true" />
              <span className="truncate">{back.label}</span>
            </Link>
          ) : null}
          {nav.length > 0 ? (
            <nav aria-label="Workspace">
              <NavLinks items={nav} />
            </nav>
          ) : null}
          <div className="lg:mt-auto lg:border-t lg:pt-3">
            <UserMenu email={email} />
          </div>
        </aside>
      </div>
      <main id="main" className="min-w-0 px-5 py-8 sm:px-8 lg:px-12 lg:py-10">
        <div className="mx-auto max-w-5xl">{children}</div>
      </main>
    </div>
  );
}
