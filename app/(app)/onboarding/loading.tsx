import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div
      className="flex min-h-dvh items-start justify-center bg-muted/40 px-6 pt-24"
      aria-busy="true"
    >
      <span className="sr-only">Loading…</span>
      <div className="w-full max-w-lg rounded-xl border bg-card p-6">
        <Skeleton className="h-4 w-32" />
        <Skeleton className="mt-3 h-6 w-56" />
        <Skeleton className="mt-3 h-4 w-full" />
        <Skeleton className="mt-8 h-9 w-full" />
        <Skeleton className="mt-5 h-9 w-full" />
        <Skeleton className="mt-6 h-9 w-full" />
      </div>
    </div>
  );
}
