"use client";

import "./globals.css";

/** Last resort when the root layout itself fails; keeps to plain markup. */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body className="grid min-h-dvh place-items-center px-6">
        <main className="max-w-md text-center">
          <h1 className="text-xl font-semibold">Patchline could not load</h1>
          <p className="mt-2 text-sm text-muted-foreground">
            Something went wrong on our side. Try again in a moment.
            {error.digest ? ` Reference: ${error.digest}` : null}
          </p>
          <button
            type="button"
            onClick={reset}
            className="mt-6 rounded-md bg-primary px-4 py-2 text-sm font-medium text-primary-foreground"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
