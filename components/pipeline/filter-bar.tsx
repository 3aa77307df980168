import { SearchIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

export interface FilterSelect {
  name: string;
  label: string;
  value: string | undefined;
  options: ReadonlyArray<{ value: string; label: string }>;
}

/**
 * A list's filters as a GET form: works before JavaScript loads, the URL holds the state (so a
 * filtered view can be shared), and applying it starts again from the first page.
 */
export function FilterBar({
  action,
  q,
  searchLabel,
  searchPlaceholder,
  selects,
  active,
  testId,
  children,
}: {
  action: string;
  q: string | undefined;
  searchLabel: string;
  searchPlaceholder: string;
  selects: FilterSelect[];
  active: boolean;
  testId: string;
  children?: React.ReactNode;
}) {
  return (
    <search className="mb-4 block">
      <form
        method="get"
        action={action}
        className="flex flex-wrap items-end gap-3"
        data-testid={testId}
      >
        <div className="grid min-w-56 flex-1 gap-1.5">
          <Label htmlFor={`${testId}-q`}>{searchLabel}</Label>
          <div className="relative">
            <SearchIcon
              aria-hidden="true"
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
            />
            <Input
              id={`${testId}-q`}
              name="q"
              type="search"
              defaultValue={q ?? ""}
              placeholder={searchPlaceholder}
              className="pl-9"
              maxLength={200}
              data-testid={`${testId}-search`}
            />
          </div>
        </div>
        {selects.map((s) => (
          <div key={s.name} className="grid gap-1.5">
            <Label htmlFor={`${testId}-${s.name}`}>{s.label}</Label>
            <Select
              id={`${testId}-${s.name}`}
              name={s.name}
              defaultValue={s.value ?? ""}
              className="min-w-36"
              data-testid={`${testId}-${s.name}`}
            >
              <option value="">Any</option>
              {s.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </div>
        ))}
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" data-testid={`${testId}-apply`}>
            Apply
          </Button>
          {active ? (
            <Button asChild variant="ghost">
              <Link href={action}>Clear</Link>
            </Button>
          ) : null}
          {children}
        </div>
      </form>
    </search>
  );
}
