import { cn } from "@/components/ui/cn";

/** Patchline's mark: a patch stitched across a line. Decorative; the wordmark carries the name. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 32 32"
      aria-hidden="true"
      className={cn("size-7 shrink-0", className)}
      fill="none"
    >
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M6 19.5h20"
        stroke="white"
        strokeOpacity=".45"
        strokeWidth="2"
        strokeLinecap="round"
      />
      <rect x="10.5" y="8.5" width="11" height="11" rx="2.5" stroke="white" strokeWidth="2.2" />
      <path d="M13.5 14h5M16 11.5v5" stroke="white" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2", className)}>
      <LogoMark />
      <span className="text-[15px] font-semibold tracking-tight">Patchline</span>
    </span>
  );
}
