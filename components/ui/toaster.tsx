"use client";

import { Toaster as Sonner, toast } from "sonner";

/** The app's toast region (sonner), mounted once in the root layout. */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      toastOptions={{
        classNames: {
          toast: "!rounded-lg !border !border-border !bg-card !text-card-foreground !shadow-md",
          description: "!text-muted-foreground",
        },
      }}
    />
  );
}

export { toast };
