import { CheckCircle2Icon } from "lucide-react";
import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { ROUTES } from "@/lib/auth/routes";

const POINTS = [
  "Support tickets become structured bug reports",
  "Each bug is mapped to the file and function behind it",
  "Customers hear “fixed” only once production runs the fix",
];

/** Sign-in, sign-up and recovery pages: the form on the right, what Patchline does on the left. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <aside className="relative hidden overflow-hidden bg-zinc-950 p-10 text-zinc-100 lg:flex lg:flex-col">
        <div
          aria-hidden="true"
          className="absolute inset-0 bg-[radial-gradient(ellipse_at_top_left,rgba(99,102,241,0.35),transparent_60%)]"
        />
        <Link href={ROUTES.home} className="relative z-10 w-fit rounded-md">
          <Logo className="[&_span]:text-white" />
        </Link>
        <div
          aria-hidden="true"
          className="relative z-10 mt-16 max-w-sm rounded-xl border border-white/10 bg-white/5 p-4 text-sm shadow-2xl backdrop-blur"
        >
          <div className="flex items-center justify-between text-xs text-zinc-400">
            <span>Example · Zendesk ticket #4821</span>
            <span className="rounded-full bg-amber-400/15 px-2 py-0.5 font-medium text-amber-300">
              High
            </span>
          </div>
          <p className="mt-2 font-medium text-white">Checkout total ignores the discount code</p>
          <div className="mt-3 rounded-lg bg-black/40 p-3 font-mono text-xs text-zinc-300">
            <p className="text-indigo-300">src/cart/pricing.ts</p>
            <p className="mt-1">applyDiscount() · lines 42–58</p>
          </div>
          <div className="mt-3 flex items-center justify-between text-xs text-zinc-400">
            <span>Confidence 0.91</span>
            <span className="text-emerald-300">Draft PR ready</span>
          </div>
        </div>
        <div className="relative z-10 mt-auto max-w-md pt-10">
          <p className="text-2xl font-semibold leading-snug tracking-tight text-white">
            From “it’s broken” to a merged fix, without losing the thread.
          </p>
          <ul className="mt-8 grid gap-3 text-sm text-zinc-300">
            {POINTS.map((p) => (
              <li key={p} className="flex items-start gap-3">
                <CheckCircle2Icon
                  className="mt-0.5 size-4 shrink-0 text-indigo-300"
                  aria-hidden="true"
                />
                {p}
              </li>
            ))}
          </ul>
        </div>
      </aside>
      <main className="flex flex-col px-6 py-10 sm:px-10">
        <Link href={ROUTES.home} className="w-fit rounded-md lg:hidden">
          <Logo />
        </Link>
        <div className="mx-auto flex w-full max-w-sm flex-1 flex-col justify-center py-10">
          {children}
        </div>
        <p className="text-center text-xs text-muted-foreground">
          Patchline keeps your support data and code private to your workspace.
        </p>
      </main>
    </div>
  );
}
