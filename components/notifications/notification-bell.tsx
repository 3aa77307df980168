"use client";

import { BellIcon, CheckCheckIcon, SettingsIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { type ActionState, idleState } from "@/lib/auth/action-state";

/** The server actions the bell calls (app/(app)/[org]/settings/notifications/actions.ts). */
type BellAction<P> = (previous: ActionState<undefined>, payload: P) => Promise<unknown>;

export interface BellItem {
  id: string;
  title: string;
  body: string;
  href: string;
  read: boolean;
  createdAt: string;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

function ago(iso: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, "hour");
  return relative.format(Math.round(hours / 24), "day");
}

/**
 * The bell in the app frame: the unread count, the latest notifications (opening one marks it
 * read and goes to what it is about), "mark all read" and a way to Settings → Notifications.
 */
export function NotificationBell({
  org,
  items,
  unread,
  settingsHref,
  markNotificationRead,
  markAllNotificationsRead,
}: {
  org: string;
  items: BellItem[];
  unread: number;
  settingsHref: string;
  markNotificationRead: BellAction<{ org: string; id: string }>;
  markAllNotificationsRead: BellAction<{ org: string }>;
}) {
  const router = useRouter();
  const [, startTransition] = useTransition();
  const [view, markLocally] = useOptimistic({ items, unread }, (current, id: string | "all") => ({
    items: current.items.map((i) => (id === "all" || i.id === id ? { ...i, read: true } : i)),
    unread:
      id === "all"
        ? 0
        : Math.max(0, current.unread - (current.items.some((i) => i.id === id && !i.read) ? 1 : 0)),
  }));
  const open = (item: BellItem) =>
    startTransition(async () => {
      if (!item.read) {
        markLocally(item.id);
        await markNotificationRead(idleState, { org, id: item.id });
      }
      router.push(item.href);
    });
  const markAll = () =>
    startTransition(async () => {
      markLocally("all");
      await markAllNotificationsRead(idleState, { org });
      router.refresh();
    });
  const label = view.unread === 0 ? "Notifications" : `Notifications, ${view.unread} unread`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="relative grid size-8 place-items-center rounded-md text-muted-foreground transition-colors hover:bg-secondary hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
        aria-label={label}
        data-testid="notification-bell"
      >
        <BellIcon className="size-4" aria-hidden="true" />
        {view.unread > 0 ? (
          <span
            className="absolute -top-0.5 -right-0.5 grid min-w-4 place-items-center rounded-full bg-red-600 px-1 text-[10px] leading-4 font-semibold text-white"
            data-testid="notification-count"
            aria-hidden="true"
          >
            {view.unread > 99 ? "99+" : view.unread}
          </span>
        ) : null}
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-80" data-testid="notification-list">
        <DropdownMenuLabel>Notifications</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {view.items.length === 0 ? (
          <DropdownMenuLabel
            className="py-6 text-center font-normal text-muted-foreground"
            data-testid="notification-empty"
          >
            Nothing yet. New bugs, failures and usage warnings will show up here.
          </DropdownMenuLabel>
        ) : (
          view.items.map((item) => (
            <DropdownMenuItem
              key={item.id}
              onSelect={() => open(item)}
              className="items-start gap-2 py-2"
              data-testid="notification-item"
              data-read={item.read ? "true" : "false"}
            >
              <span
                className={cn(
                  "mt-1.5 size-2 shrink-0 rounded-full",
                  item.read ? "bg-transparent" : "bg-blue-600",
                )}
                aria-hidden="true"
              />
              <span className="grid min-w-0 gap-0.5">
                <span className={cn("text-sm", item.read ? "font-normal" : "font-semibold")}>
                  {item.title}
                  {item.read ? null : <span className="sr-only"> (unread)</span>}
                </span>
                <span className="text-xs text-muted-foreground">{item.body}</span>
                <span className="text-xs text-muted-foreground">{ago(item.createdAt)}</span>
              </span>
            </DropdownMenuItem>
          ))
        )}
        <DropdownMenuSeparator />
        {view.unread > 0 ? (
          <DropdownMenuItem onSelect={markAll} data-testid="notification-mark-all">
            <CheckCheckIcon aria-hidden="true" />
            Mark all read
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuItem asChild>
          <Link href={settingsHref} data-testid="notification-settings-link">
            <SettingsIcon aria-hidden="true" />
            Notification settings
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
