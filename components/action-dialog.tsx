"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import type { ActionState } from "@/lib/auth/action-state";

/**
 * A confirmation dialog whose button runs a server action. Hidden `fields` go with it (the
 * workspace slug, the member id); `children` may add inputs. Success closes it with a toast;
 * an error stays in the dialog.
 */
export function ActionDialog<T>({
  open,
  onOpenChange,
  title,
  description,
  action,
  fields,
  confirmLabel,
  pendingLabel,
  destructive,
  children,
  testId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: React.ReactNode;
  action: (state: ActionState<T>, payload: FormData) => Promise<ActionState<T>>;
  fields: Record<string, string>;
  confirmLabel: string;
  pendingLabel?: string;
  destructive?: boolean;
  children?: React.ReactNode;
  testId: string;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" } as ActionState<T>);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") {
      toast.success(state.message ?? "Done.");
      onOpenChange(false);
    }
  }, [state, onOpenChange]);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid={testId}>
        <form action={formAction} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children}
          {state.status === "error" ? (
            <Alert variant="destructive" data-testid={`${testId}-error`}>
              <AlertDescription>{state.message}</AlertDescription>
            </Alert>
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton
              variant={destructive ? "destructive" : "default"}
              pendingText={pendingLabel}
              data-testid={`${testId}-confirm`}
            >
              {confirmLabel}
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
