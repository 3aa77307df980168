"use client";

import { ProbabilityField } from "@/components/pipeline/probability-field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import type { FixSettings } from "@/lib/fixes/settings";
import { saveFixSettings } from "./actions";

/**
 * The workspace's fix settings (owners and admins): when a Mapped Bug gets a fix attempt on its
 * own, how many review rounds a drafted pull request gets, and when a customer RCA is drafted and
 * published. Others read the values (disabled fields).
 */
export function FixSettingsForm({
  org,
  settings,
  disabled,
}: {
  org: string;
  settings: FixSettings;
  disabled: boolean;
}) {
  const [state, action] = useToastedAction(saveFixSettings);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const value = (name: keyof FixSettings, fallback: string) =>
    state.status === "error" ? (state.values[name] ?? fallback) : fallback;
  return (
    <form action={action} className="grid gap-4" data-testid="fix-settings-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          id="fix-review-rounds"
          label="Review rounds per pull request"
          errors={errors.reviewRoundsMax}
          hint="With an LLM provider, a review asking for changes on a drafted pull request gets a new commit, at most this many times (0: never). Past it, the request is shown on the bug page."
        >
          {(aria) => (
            <Input
              {...aria}
              name="reviewRoundsMax"
              type="number"
              min={0}
              max={20}
              step={1}
              defaultValue={value("reviewRoundsMax", String(settings.reviewRoundsMax))}
              disabled={disabled}
              className="max-w-32"
              data-testid="fix-review-rounds"
            />
          )}
        </FormField>
        <ProbabilityField
          id="fix-auto-threshold"
          name="autoFixThreshold"
          label="Auto-fix threshold"
          errors={errors.autoFixThreshold}
          hint="A Mapped Bug at or above this mapping confidence (0 to 1) gets a fix attempt without a click, when an LLM provider is set."
          defaultValue={value("autoFixThreshold", String(settings.autoFixThreshold))}
          disabled={disabled}
          data-testid="fix-auto-threshold"
        />
        <FormField
          id="fix-rca-cluster"
          label="Tickets that make an RCA"
          errors={errors.rcaMinClusterSize}
          hint="A bug with at least this many linked tickets gets a customer RCA whatever its severity (critical and high bugs always do)."
        >
          {(aria) => (
            <Input
              {...aria}
              name="rcaMinClusterSize"
              type="number"
              min={1}
              max={1000}
              step={1}
              defaultValue={value("rcaMinClusterSize", String(settings.rcaMinClusterSize))}
              disabled={disabled}
              className="max-w-32"
              data-testid="fix-rca-cluster"
            />
          )}
        </FormField>
        <div className="grid content-start gap-2">
          <span className="text-sm font-medium">RCA approval</span>
          <label className="inline-flex items-center gap-2 text-sm" htmlFor="fix-rca-approval">
            <input
              type="checkbox"
              id="fix-rca-approval"
              name="rcaApprovalRequired"
              defaultChecked={settings.rcaApprovalRequired}
              disabled={disabled}
              className="size-4 rounded border-input accent-zinc-900 focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
              data-testid="fix-rca-approval"
            />
            An owner or admin approves each RCA before it is published
          </label>
        </div>
      </div>
      {state.status === "error" && Object.keys(errors).length === 0 ? (
        <Alert variant="destructive" data-testid="fix-settings-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {disabled ? null : (
        <div>
          <SubmitButton pendingText="Saving…" data-testid="fix-settings-save">
            Save fix settings
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
