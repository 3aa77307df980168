import { cn } from "@/components/ui/cn";
import { percent } from "@/lib/pipeline-data/labels";

/**
 * A confidence in [0, 1] as a number and a small bar. The number is the signal (screen readers
 * read "Mapping confidence 83%"); the bar's colour says whether it reaches the default gate.
 */
export function Confidence({
  value,
  label,
  gate = 0.7,
  compact = false,
  className,
}: {
  value: number | null;
  label: string;
  gate?: number;
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
  return (
    <span className={cn("inline-flex items-center gap-2", className)} title={label}>
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
          className={cn("block h-full rounded-full", value >= gate ? "bg-success" : "bg-warning")}
          style={{ width }}
        />
      </span>
    </span>
  );
}
