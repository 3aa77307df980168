"use client";

import { Link2Icon, UnlinkIcon } from "lucide-react";
import { useActionState, useEffect, useRef, useState } from "react";
import { ActionDialog } from "@/components/action-dialog";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { linkPullRequest, unlinkPullRequest } from "./pull-request-actions";

/**
 * "Link a pull request": its URL, owner/repo#12, or a number with the repository chosen beside
 * it. Works before JavaScript loads; errors (not found, not a selected repository, already
 * linked) show beside the field they are about.
 */
export function LinkPullRequestForm({
  org,
  bugId,
  repositories,
}: {
  org: string;
  bugId: string;
  repositories: string[];
}) {
  const [state, action] = useActionState(linkPullRequest, idleState);
  const handled = useRef(state);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") {
      toast.success(state.message ?? "Linked.");
      form.current?.reset();
    }
  }, [state]);
  const errors = fieldErrorsOf(state);
  const values = valuesOf(state);
  const message = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form
      ref={form}
      action={action}
      className="grid gap-3"
      data-testid="link-pr-form"
      noValidate
      aria-label="Link a pull request"
    >
      <input type="hidden" name="org" value={org} />
      <input type="hidden" name="bugId" value={bugId} />
      {message ? (
        <Alert variant="destructive" data-testid="link-pr-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,14rem)]">
        <FormField
          id="pr-reference"
          label="Pull request"
          hint="Its URL, owner/repo#12, or just the number."
          errors={errors.reference}
        >
          {(aria) => (
            <Input
              {...aria}
              name="reference"
              required
              maxLength={500}
              placeholder="https://github.com/acme/storefront/pull/12"
              defaultValue={values.reference ?? ""}
              autoComplete="off"
              data-testid="link-pr-reference"
            />
          )}
        </FormField>
        <FormField
          id="pr-repository"
          label="Repository"
          hint="Used when you give a number."
          errors={errors.repository}
        >
          {(aria) => (
            <Select
              {...aria}
              name="repository"
              defaultValue={values.repository ?? repositories[0] ?? ""}
              data-testid="link-pr-repository"
            >
              {repositories.length === 0 ? <option value="">No selected repository</option> : null}
              {repositories.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      </div>
      <div>
        <SubmitButton pendingText="Asking GitHub…" data-testid="link-pr-submit">
          <Link2Icon aria-hidden="true" />
          Link pull request
        </SubmitButton>
      </div>
    </form>
  );
}

/** Unlinks a pull request a person linked, after a confirmation. */
export function UnlinkPullRequestButton({
  org,
  bugId,
  pullRequestId,
  label,
}: {
  org: string;
  bugId: string;
  pullRequestId: string;
  label: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} data-testid="pr-unlink">
        <UnlinkIcon aria-hidden="true" />
        Unlink
      </Button>
      <ActionDialog
        open={open}
        onOpenChange={setOpen}
        title={`Unlink ${label}?`}
        description="The pull request stays on GitHub; this bug stops following its CI and reviews."
        action={unlinkPullRequest}
        fields={{ org, bugId, pullRequestId }}
        confirmLabel="Unlink"
        testId="unlink-pr-dialog"
      />
    </>
  );
}
