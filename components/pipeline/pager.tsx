import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/**
 * Newer/older links of a keyset-paginated list; the filters travel with them. Renders nothing
 * when everything fits on one page.
 */
export function Pager({
  base,
  params,
  previous,
  next,
  testId,
}: {
  base: string;
  params: Record<string, string | undefined>;
  previous?: string;
  next?: string;
  testId: string;
}) {
  if (!previous && !next) return null;
  const href = (cursor: { after?: string; before?: string }) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...cursor })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <nav aria-label="Pages" className="mt-4 flex justify-end gap-2" data-testid={testId}>
      {previous ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href({ before: previous })} data-testid={`${testId}-newer`}>
            <ChevronLeftIcon aria-hidden="true" />
            Newer
          </Link>
        </Button>
      ) : null}
      {next ? (
        <Button asChild variant="outline" size="sm">
          <Link href={href({ after: next })} data-testid={`${testId}-older`}>
            Older
            <ChevronRightIcon aria-hidden="true" />
          </Link>
        </Button>
      ) : null}
    </nav>
  );
}
