import type { LucideIcon } from "lucide-react";
import type * as React from "react";
import { cn } from "@/components/ui/cn";

/** What a list or page shows when there is nothing yet, and what to do about it. */
export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
  className,
  testId,
}: {
  icon: LucideIcon;
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div
      className={cn(
        "flex flex-col items-center rounded-xl border border-dashed bg-card/60 px-6 py-12 text-center",
        className,
      )}
      data-testid={testId}
    >
      <span className="grid size-10 place-items-center rounded-full bg-muted text-muted-foreground">
        <Icon className="size-5" aria-hidden="true" />
      </span>
      <h2 className="mt-4 text-sm font-semibold">{title}</h2>
      {children ? (
        <div className="mt-1.5 max-w-sm text-sm text-muted-foreground">{children}</div>
      ) : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
