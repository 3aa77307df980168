"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toaster";
import { useHydrated } from "@/components/ui/use-hydrated";
import {
  type ActionState,
  fieldErrorsOf,
  formMessage,
  idleState,
  valuesOf,
} from "@/lib/auth/action-state";
import { RCA_SECTION_KEYS, type RcaSections } from "@/lib/fixes/rca/sections";
import { approveRca, publishRcaUpdate, saveRca } from "./rca-actions";

const LABELS: Record<keyof RcaSections, { label: string; hint: string }> = {
  customer_impact: {
    label: "Customer impact",
    hint: "What customers saw, and how many reported it.",
  },
  timeline: { label: "Timeline", hint: "First report, fix, live in production, with times (UTC)." },
  root_cause: {
    label: "Root cause",
    hint: "In plain language: no code, function names or stack traces.",
  },
  fix: { label: "Fix", hint: "What changed for the customer." },
  prevention: { label: "Prevention", hint: "What keeps it from coming back." },
};

function useToast(state: ActionState<unknown>) {
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Done.");
  }, [state]);
}

/** The five sections (members). Works before JavaScript loads; errors show beside each field. */
export function RcaEditor({
  org,
  bugId,
  version,
  sections,
}: {
  org: string;
  bugId: string;
  version: number;
  sections: RcaSections;
}) {
  const [state, action] = useActionState(saveRca, idleState);
  useToast(state);
  const errors = fieldErrorsOf(state);
  const values = valuesOf(state);
  const message = state.status === "error" ? formMessage(state) : undefined;
  const hydrated = useHydrated();
  return (
    <form
      action={action}
      className="grid gap-4"
      data-testid="rca-editor"
      data-hydrated={hydrated}
      noValidate
    >
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="bugId" value={bugId} />
      <input type="hidden" name="version" value={version} />
      {message ? (
        <Alert variant="destructive" data-testid="rca-editor-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      {RCA_SECTION_KEYS.map((key) => (
        <FormField
          key={key}
          id={`rca-${key}`}
          label={LABELS[key].label}
          hint={LABELS[key].hint}
          errors={errors[key]}
        >
          {(aria) => (
            <Textarea
              {...aria}
              name={key}
              rows={key === "timeline" ? 3 : 4}
              maxLength={4000}
              defaultValue={values[key] ?? sections[key]}
              data-testid={`rca-section-${key}`}
            />
          )}
        </FormField>
      ))}
      <div>
        <SubmitButton pendingText="Saving…" data-testid="rca-save">
          Save RCA
        </SubmitButton>
      </div>
    </form>
  );
}

/** One button posting `{ org, bugId, version }` to an RCA action (approve, publish update). */
export function RcaActionButton({
  org,
  bugId,
  version,
  kind,
}: {
  org: string;
  bugId: string;
  version: number;
  kind: "approve" | "publish_update";
}) {
  const [state, action] = useActionState(
    kind === "approve" ? approveRca : publishRcaUpdate,
    idleState,
  );
  useToast(state);
  const message = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid gap-2">
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="bugId" value={bugId} />
      <input type="hidden" name="version" value={version} />
      {message ? (
        <Alert variant="destructive">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton
          variant={kind === "approve" ? "default" : "outline"}
          pendingText={kind === "approve" ? "Approving…" : "Publishing…"}
          data-testid={kind === "approve" ? "rca-approve" : "rca-publish-update"}
        >
          {kind === "approve"
            ? `Approve version ${version}`
            : `Publish update (version ${version})`}
        </SubmitButton>
      </div>
    </form>
  );
}
