import { cn } from "@/components/ui/cn";
import { percent } from "@/lib/pipeline-data/labels";

/**
 * A confidence in [0, 1] as a number and a small bar. The number is the signal (screen readers
 * read "Mapping confidence 83%"); the bar's colour says whether it reaches `gate`, the
 * workspace's own gate for that confidence (`readGates`, lib/pipeline/gates/settings-store.ts:
 * extraction or mapping), never a default: a bar coloured against another threshold than the
 * one that decided the bug would contradict its status.
 */
export function Confidence({
  value,
  label,
  gate,
  compact = false,
  className,
}: {
  value: number | null;
  label: string;
  /** The workspace's gate this confidence is held to. */
  gate: number;
  /** number only (dense tables) */
  compact?: boolean;
  className?: string;
}) {
  if (value === null) {
    return (
      <span className={cn("text-xs text-muted-foreground", className)}>
        <span className="sr-only">{label}: </span>none
      </span>
    );
  }
  const width = `${Math.max(4, Math.round(value * 100))}%`;
  const reaches = value >= gate;
  return (
    <span
      className={cn("inline-flex items-center gap-2", className)}
      title={label}
      data-gate={gate}
      data-reaches-gate={reaches}
    >
      <span className="sr-only">{label}: </span>
      <span className="w-9 text-right font-mono text-xs tabular-nums">{percent(value)}</span>
      <span
        aria-hidden="true"
        className={cn(
          "h-1.5 w-14 overflow-hidden rounded-full bg-muted",
          compact && "hidden 2xl:block",
        )}
      >
        <span
          className={cn("block h-full rounded-full", reaches ? "bg-success" : "bg-warning")}
          style={{ width }}
        />
      </span>
    </span>
  );
}
