"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { renameOrganization } from "./actions";

/** The workspace name form; disabled (and never submitted) for roles that may not rename. */
export function RenameForm({
  org,
  name,
  disabled,
}: {
  org: string;
  name: string;
  disabled: boolean;
}) {
  const [state, action] = useToastedAction(renameOrganization);
  const errors = state.status === "error" ? state.fieldErrors : {};
  return (
    <form action={action} className="grid gap-4" data-testid="rename-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <FormField
        id="workspace-name"
        label="Workspace name"
        errors={errors.name}
        hint={disabled ? "Only owners and admins can rename the workspace." : undefined}
      >
        {(aria) => (
          <Input
            {...aria}
            name="name"
            required
            defaultValue={state.status === "error" ? (state.values.name ?? name) : name}
            disabled={disabled}
            readOnly={disabled}
            className="max-w-md"
            data-testid="settings-name"
          />
        )}
      </FormField>
      {state.status === "error" && !errors.name ? (
        <Alert variant="destructive" data-testid="rename-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {disabled ? null : (
        <div>
          <SubmitButton pendingText="Saving…" data-testid="settings-save">
            Save
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
