"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { idleState } from "@/lib/auth/action-state";
import { slugify } from "@/lib/auth/schemas";
import { createOrganization } from "./actions";

/** Name and URL slug; the slug follows the name until the person edits it. */
export function CreateOrganizationForm({ host }: { host: string }) {
  const [state, action] = useActionState(createOrganization, idleState);
  const values = state.status === "error" ? state.values : {};
  const errors = state.status === "error" ? state.fieldErrors : {};
  const [name, setName] = useState(values.name ?? "");
  const [slug, setSlug] = useState(values.slug ?? "");
  const [slugEdited, setSlugEdited] = useState(Boolean(values.slug));
  const suggestions = errors.suggestions ?? [];
  const otherError =
    state.status === "error" && !errors.name && !errors.slug ? state.message : undefined;
  return (
    <form action={action} className="grid gap-5" data-testid="create-workspace-form" noValidate>
      {otherError ? (
        <Alert variant="destructive">
          <AlertDescription>{otherError}</AlertDescription>
        </Alert>
      ) : null}
      <FormField
        id="name"
        label="Workspace name"
        hint="Usually your company or team name."
        errors={errors.name}
      >
        {(aria) => (
          <Input
            {...aria}
            name="name"
            required
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
        hint="Lower-case letters, numbers and dashes, 3 to 40 characters."
        errors={errors.slug}
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
          <span className="text-muted-foreground">Try:</span>
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
