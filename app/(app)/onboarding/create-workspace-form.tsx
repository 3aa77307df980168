"use client";

import { useActionState, useState } from "react";
import { initialFormState } from "@/app/_lib/form-state";
import { slugify } from "@/app/_lib/slug";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { createWorkspace } from "./actions";

/** Name and URL slug; the slug follows the name until the user edits it. */
export function CreateWorkspaceForm({ host }: { host: string }) {
  const [state, action] = useActionState(createWorkspace, initialFormState);
  const [name, setName] = useState(state.values?.name ?? "");
  const [slug, setSlug] = useState(state.values?.slug ?? "");
  const [slugEdited, setSlugEdited] = useState(Boolean(state.values?.slug));
  const suggestions = (state.values?.suggestions ?? "").split(",").filter(Boolean);
  return (
    <form action={action} className="grid gap-5" data-testid="create-workspace-form" noValidate>
      {state.status === "error" && state.message ? (
        <Alert variant="destructive">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField
        id="name"
        label="Workspace name"
        hint="Usually your company or team name."
        errors={state.fieldErrors?.name}
      >
        {(aria) => (
          <Input
            {...aria}
            name="name"
            required
            autoFocus
            autoComplete="organization"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
            data-testid="workspace-name"
          />
        )}
      </FormField>
      <FormField
        id="slug"
        label="Workspace URL"
        hint="Lower-case letters, numbers and hyphens. You can share links that use it."
        errors={state.fieldErrors?.slug}
      >
        {(aria) => (
          <div className="flex rounded-md shadow-xs">
            <span className="inline-flex items-center rounded-l-md border border-r-0 border-input bg-muted px-3 text-sm text-muted-foreground">
              {host}/
            </span>
            <Input
              {...aria}
              name="slug"
              required
              className="rounded-l-none shadow-none"
              value={slug}
              onChange={(e) => {
                setSlug(e.target.value.toLowerCase());
                setSlugEdited(true);
              }}
              data-testid="workspace-slug"
            />
          </div>
        )}
      </FormField>
      {suggestions.length > 0 ? (
        <div
          className="-mt-2 flex flex-wrap items-center gap-2 text-xs"
          data-testid="slug-suggestions"
        >
          <span className="text-muted-foreground">Available ideas:</span>
          {suggestions.map((s) => (
            <Button
              key={s}
              type="button"
              variant="outline"
              size="sm"
              className="h-7 font-mono"
              onClick={() => {
                setSlug(s);
                setSlugEdited(true);
              }}
            >
              {s}
            </Button>
          ))}
        </div>
      ) : null}
      <SubmitButton
        className="w-full"
        pendingText="Creating…"
        data-testid="create-workspace-submit"
      >
        Create workspace
      </SubmitButton>
    </form>
  );
}
