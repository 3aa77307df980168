import type * as React from "react";
import { cn } from "./cn";

/** A grey placeholder block shown while a segment loads. */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return <div className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}
