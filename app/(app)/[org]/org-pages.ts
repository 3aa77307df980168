import "server-only";
import type { NavItem } from "@/components/app-shell/nav-links";
import { type OrgContext, requireOrgMember } from "@/lib/auth/guards";
import { type Action, can, type Role } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import { bugExists, ticketExists } from "@/lib/pipeline-data/exists";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * The one declaration of each `/[org]/…` page: its URL segment, its nav entry, and the permission
 * a role needs to open it. The layout refuses a page from this table (a real 404, above the
 * loading boundary), the nav shows only what the role may open, and each page asks for its own
 * entry with `requireOrgPage` (the check again, so it holds whatever renders the page).
 */
export const ORG_PAGES = {
  overview: {
    segment: undefined,
    href: (slug: string) => orgRoutes(slug).home,
    permission: "organization.read",
    nav: { label: "Overview", icon: "home", testId: "nav-overview" },
  },
  bugs: {
    segment: "bugs",
    href: (slug: string) => orgRoutes(slug).bugs,
    permission: "bugs.read",
    nav: { label: "Bugs", icon: "bugs", testId: "nav-bugs" },
  },
  review: {
    segment: "review",
    href: (slug: string) => orgRoutes(slug).review,
    permission: "bugs.read",
    nav: { label: "Review queue", icon: "review", testId: "nav-review" },
  },
  tickets: {
    segment: "tickets",
    href: (slug: string) => orgRoutes(slug).tickets,
    permission: "bugs.read",
    nav: { label: "Tickets", icon: "tickets", testId: "nav-tickets" },
  },
  shipped: {
    segment: "shipped",
    href: (slug: string) => orgRoutes(slug).shipped,
    permission: "bugs.read",
    nav: { label: "Shipped", icon: "shipped", testId: "nav-shipped" },
  },
  codebase: {
    segment: "codebase",
    href: (slug: string) => orgRoutes(slug).codebase,
    permission: "bugs.read",
    nav: { label: "Codebase", icon: "codebase", testId: "nav-codebase" },
  },
  members: {
    segment: "members",
    href: (slug: string) => orgRoutes(slug).members,
    permission: "members.read",
    nav: { label: "Members", icon: "members", testId: "nav-members" },
  },
  settings: {
    segment: "settings",
    href: (slug: string) => orgRoutes(slug).settings,
    permission: "organization.read",
    nav: { label: "Settings", icon: "settings", testId: "nav-settings" },
  },
  integrations: {
    segment: "settings/integrations",
    href: (slug: string) => orgRoutes(slug).integrations,
    permission: "integrations.manage",
    nav: { label: "Integrations", icon: "integrations", testId: "nav-integrations" },
  },
  notifications: {
    segment: "settings/notifications",
    href: (slug: string) => orgRoutes(slug).notifications,
    // every member chooses their own notifications
    permission: "organization.read",
    nav: { label: "Notifications", icon: "notifications", testId: "nav-notifications" },
  },
  billing: {
    segment: "settings/billing",
    href: (slug: string) => orgRoutes(slug).billing,
    permission: "billing.read",
    nav: { label: "Billing", icon: "billing", testId: "nav-billing" },
  },
  audit: {
    segment: "audit",
    href: (slug: string) => orgRoutes(slug).audit,
    permission: "audit_log.read",
    nav: { label: "Audit log", icon: "audit", testId: "nav-audit" },
  },
} as const satisfies Record<
  string,
  {
    segment: string | undefined;
    href: (slug: string) => string;
    permission: Action;
    nav: Omit<NavItem, "href">;
  }
>;

export type OrgPage = keyof typeof ORG_PAGES;

/**
 * The page at `path` under `/[org]` (`"settings/integrations/…"`; undefined: the overview): the
 * entry with the longest segment that is a whole-segment prefix of the path, so a nested page
 * (Settings → Integrations) has its own permission.
 */
export function orgPageOf(path: string | undefined): OrgPage | undefined {
  const pages = Object.keys(ORG_PAGES) as OrgPage[];
  if (!path) return pages.find((page) => ORG_PAGES[page].segment === undefined);
  let best: OrgPage | undefined;
  for (const page of pages) {
    const segment: string | undefined = ORG_PAGES[page].segment;
    if (!segment || (path !== segment && !path.startsWith(`${segment}/`))) continue;
    const bestSegment: string | undefined = best ? ORG_PAGES[best].segment : undefined;
    if (!bestSegment || segment.length > bestSegment.length) best = page;
  }
  return best;
}

/** The nav entries `role` may open, in table order. */
export function orgNav(slug: string, role: Role): NavItem[] {
  return (Object.keys(ORG_PAGES) as OrgPage[])
    .filter((page) => can(role, ORG_PAGES[page].permission))
    .map((page) => ({ href: ORG_PAGES[page].href(slug), ...ORG_PAGES[page].nav }));
}

/** For a page under `/[org]`: the member's context, or not-found when their role may not open it. */
export function requireOrgPage(slug: string, page: OrgPage): Promise<OrgContext<undefined>> {
  return requireOrgMember(slug, ORG_PAGES[page].permission);
}

/**
 * Pages with a detail route `/[org]/<segment>/<id>` and how to tell whether the member can see
 * that id. The layout asks before the loading boundary streams, so a missing or foreign id is a
 * real 404 (the page asks again when it reads the row).
 */
const DETAIL_EXISTS: Partial<
  Record<OrgPage, (s: ServerSupabaseClient, organizationId: string, id: string) => Promise<boolean>>
> = { bugs: bugExists, tickets: ticketExists };

/** False when `page` has detail routes and `id` is not one the member can see. */
export async function orgDetailVisible(
  supabase: ServerSupabaseClient,
  organizationId: string,
  page: OrgPage,
  id: string | undefined,
): Promise<boolean> {
  const exists = DETAIL_EXISTS[page];
  if (!exists || !id) return true;
  return exists(supabase, organizationId, decodeURIComponent(id));
}
