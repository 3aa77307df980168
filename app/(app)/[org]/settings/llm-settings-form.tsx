"use client";

import { CircleCheckIcon } from "lucide-react";
import { useActionState, useEffect, useRef, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { toast } from "@/components/ui/toaster";
import { fieldErrorsOf, formMessage, idleState, valuesOf } from "@/lib/auth/action-state";
import { saveLlmSettings, testLlmConnection } from "./actions";

export interface LlmSettingsFormProps {
  org: string;
  provider: "none" | "anthropic" | "openai";
  model: string | null;
  /** When the saved key was set (ISO), null without one. The key itself never reaches the page. */
  keySetAt: string | null;
  defaultModels: { anthropic: string; openai: string };
}

const PROVIDER_LABELS = {
  none: "Off: process tickets on Patchline only",
  anthropic: "Anthropic (Claude)",
  openai: "OpenAI",
} as const;

const when = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });

/** The workspace's LLM provider, model and key (owners and admins). */
export function LlmSettingsForm({
  org,
  provider,
  model,
  keySetAt,
  defaultModels,
}: LlmSettingsFormProps) {
  const [state, action] = useActionState(saveLlmSettings, idleState);
  const errors = fieldErrorsOf(state);
  const values = valuesOf(state);
  // Which fields to show. The select itself is uncontrolled (defaultValue): React resets a form
  // after its action, and a reset puts a select back on its default, so the default is what was
  // submitted (after an error) or saved (after success), and this follows it.
  const [chosen, setChosen] = useState<string>(values.provider ?? provider);
  const handled = useRef(state);
  useEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    if (state.status === "success") toast.success(state.message ?? "Saved.");
    if (state.status === "error" && state.values.provider) setChosen(state.values.provider);
  }, [state]);
  useEffect(() => setChosen(provider), [provider]);
  const message = state.status === "error" ? formMessage(state) : undefined;
  const keepsKey = chosen !== "none" && chosen === provider && keySetAt !== null;
  return (
    <form action={action} className="grid gap-4" data-testid="llm-settings-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <FormField id="llm-provider" label="Provider" errors={errors.provider}>
        {(aria) => (
          <div className="max-w-md">
            <Select
              {...aria}
              name="provider"
              key={`${provider}:${values.provider ?? ""}`}
              defaultValue={values.provider ?? provider}
              onChange={(e) => setChosen(e.target.value)}
              data-testid="llm-provider"
            >
              {(["none", "anthropic", "openai"] as const).map((p) => (
                <option key={p} value={p}>
                  {PROVIDER_LABELS[p]}
                </option>
              ))}
            </Select>
          </div>
        )}
      </FormField>
      {chosen === "none" ? (
        provider !== "none" ? (
          <p className="text-sm text-muted-foreground" data-testid="llm-off-note">
            Saving turns the LLM off and deletes the stored key.
          </p>
        ) : null
      ) : (
        <>
          <FormField
            id="llm-model"
            label="Model (optional)"
            errors={errors.model}
            hint={`Leave empty for ${chosen === "openai" ? defaultModels.openai : defaultModels.anthropic}.`}
          >
            {(aria) => (
              <Input
                {...aria}
                name="model"
                autoComplete="off"
                spellCheck={false}
                defaultValue={values.model ?? (chosen === provider ? (model ?? "") : "")}
                placeholder={chosen === "openai" ? defaultModels.openai : defaultModels.anthropic}
                className="max-w-md"
                data-testid="llm-model"
              />
            )}
          </FormField>
          <FormField
            id="llm-api-key"
            label="API key"
            errors={errors.apiKey}
            hint={
              keepsKey && keySetAt
                ? `A key was saved on ${when(keySetAt)} UTC. Leave empty to keep it; it is never shown again.`
                : "Stored encrypted and never shown again. Use a key of your own account with the provider."
            }
          >
            {(aria) => (
              <Input
                {...aria}
                name="apiKey"
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder={keepsKey ? "••••••••••••" : ""}
                className="max-w-md"
                data-testid="llm-api-key"
              />
            )}
          </FormField>
        </>
      )}
      {message ? (
        <Alert variant="destructive" data-testid="llm-settings-error">
          <AlertDescription>{message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Saving…" data-testid="llm-save">
          Save
        </SubmitButton>
      </div>
    </form>
  );
}

/** Calls the saved provider once with the saved key and says what happened. */
export function LlmTestConnectionForm({ org }: { org: string }) {
  const [state, action] = useActionState(testLlmConnection, idleState);
  return (
    <form action={action} className="grid gap-3" data-testid="llm-test-form">
      <input type="hidden" name="org" value={org} />
      {state.status === "success" ? (
        // default colours with an icon: the success tint's green text fails axe's contrast check
        <Alert data-testid="llm-test-result">
          <CircleCheckIcon aria-hidden="true" className="text-success" />
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === "error" ? (
        <Alert variant="destructive" data-testid="llm-test-result">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="outline" pendingText="Testing…" data-testid="llm-test">
          Test connection
        </SubmitButton>
      </div>
    </form>
  );
}
