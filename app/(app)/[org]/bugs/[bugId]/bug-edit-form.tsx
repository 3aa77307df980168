"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toaster";
import { useHydrated } from "@/components/ui/use-hydrated";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { SEVERITIES, SEVERITY_LABEL, type Severity } from "@/lib/pipeline-data/labels";
import { updateBug } from "./actions";

export interface EditableBug {
  id: string;
  title: string;
  severity: Severity;
  steps: string[];
  expected: string | null;
  actual: string | null;
  feature: string | null;
  impact: string | null;
}

/** The bug's correctable fields; posts without JavaScript, errors beside each field. */
export function BugEditForm({ org, bug }: { org: string; bug: EditableBug }) {
  const [state, action] = useActionState(updateBug, idleState);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
  }, [state]);
  const errors = fieldErrorsOf(state);
  const values = valuesOf(state);
  const message = state.status === "error" ? formMessage(state) : undefined;
  const value = (name: string, fallback: string) => values[name] ?? fallback;
  const hydrated = useHydrated();
  return (
    <form
      action={action}
      className="grid gap-4"
      data-testid="bug-edit-form"
      data-hydrated={hydrated}
      noValidate
    >
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="bugId" value={bug.id} />
      {message ? (
        <Alert variant="destructive" data-testid="bug-edit-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="bug-title" label="Title" errors={errors.title}>
        {(aria) => (
          <Input
            {...aria}
            name="title"
            required
            maxLength={300}
            defaultValue={value("title", bug.title)}
            data-testid="bug-edit-title"
          />
        )}
      </FormField>
      <FormField id="bug-severity" label="Severity" errors={errors.severity} className="max-w-xs">
        {(aria) => (
          <Select
            {...aria}
            name="severity"
            defaultValue={value("severity", bug.severity)}
            data-testid="bug-edit-severity"
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField
        id="bug-steps"
        label="Steps to reproduce"
        hint="One step per line."
        errors={errors.steps}
      >
        {(aria) => (
          <Textarea
            {...aria}
            name="steps"
            rows={4}
            defaultValue={value("steps", bug.steps.join("\n"))}
            data-testid="bug-edit-steps"
          />
        )}
      </FormField>
      <div className="grid gap-4 md:grid-cols-2">
        <FormField id="bug-expected" label="Expected behaviour" errors={errors.expected}>
          {(aria) => (
            <Textarea
              {...aria}
              name="expected"
              rows={3}
              maxLength={2000}
              defaultValue={value("expected", bug.expected ?? "")}
            />
          )}
        </FormField>
        <FormField id="bug-actual" label="Actual behaviour" errors={errors.actual}>
          {(aria) => (
            <Textarea
              {...aria}
              name="actual"
              rows={3}
              maxLength={2000}
              defaultValue={value("actual", bug.actual ?? "")}
            />
          )}
        </FormField>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <FormField id="bug-feature" label="Affected feature" errors={errors.feature}>
          {(aria) => (
            <Input
              {...aria}
              name="feature"
              maxLength={200}
              defaultValue={value("feature", bug.feature ?? "")}
            />
          )}
        </FormField>
        <FormField id="bug-impact" label="Customer impact" errors={errors.impact}>
          {(aria) => (
            <Input
              {...aria}
              name="impact"
              maxLength={1000}
              defaultValue={value("impact", bug.impact ?? "")}
            />
          )}
        </FormField>
      </div>
      <div>
        <SubmitButton pendingText="Saving…" data-testid="bug-edit-save">
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}
