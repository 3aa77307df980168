"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldErrorsOf, formMessage } from "@/lib/auth/action-state";
import { cancel, changePlan, subscribe } from "./actions";
import { useToastedAction } from "./use-toasted-action";

export interface PlanChoice {
  id: string;
  label: string;
}

function PlanSelect({
  id,
  plans,
  value,
  errors,
}: {
  id: string;
  plans: PlanChoice[];
  value?: string;
  errors?: string[];
}) {
  return (
    <FormField id={id} label="Plan" errors={errors}>
      {(aria) => (
        <Select {...aria} name="plan" defaultValue={value ?? plans[0]?.id} data-testid={id}>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
}

/** Trial or cancelled: choose a plan and pay on Razorpay's checkout page. */
export function SubscribeForm({ org, plans }: { org: string; plans: PlanChoice[] }) {
  const [state, action] = useToastedAction(subscribe);
  const error = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid max-w-md gap-4" data-testid="subscribe-form">
      <input type="hidden" name="org" value={org} />
      <PlanSelect id="subscribe-plan" plans={plans} errors={fieldErrorsOf(state).plan} />
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton pendingText="Opening Razorpay…" data-testid="subscribe-submit">
          Subscribe with Razorpay
        </SubmitButton>
      </div>
      <p className="text-xs text-muted-foreground">
        You pay on Razorpay&apos;s secure page; card details never reach Patchline.
      </p>
    </form>
  );
}

/** A live subscription: move to another plan now. */
export function ChangePlanForm({
  org,
  plans,
  current,
}: {
  org: string;
  plans: PlanChoice[];
  current: string;
}) {
  const [state, action] = useToastedAction(changePlan);
  const error = state.status === "error" ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid max-w-md gap-4" data-testid="change-plan-form">
      <input type="hidden" name="org" value={org} />
      <PlanSelect
        id="change-plan"
        plans={plans}
        value={current}
        errors={fieldErrorsOf(state).plan}
      />
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="outline" pendingText="Changing…" data-testid="change-plan-submit">
          Change plan
        </SubmitButton>
      </div>
    </form>
  );
}

/** The owner's cancellation, confirmed by typing "cancel". */
export function CancelForm({ org }: { org: string }) {
  const [state, action] = useToastedAction(cancel);
  const errors = fieldErrorsOf(state);
  const error = state.status === "error" && !errors.confirm ? formMessage(state) : undefined;
  return (
    <form action={action} className="grid max-w-md gap-3" data-testid="cancel-form">
      <input type="hidden" name="org" value={org} />
      <FormField
        id="cancel-confirm"
        label="Type cancel to end the subscription"
        hint="Mapped Bugs past the end of the paid period wait until you subscribe again."
        errors={errors.confirm}
      >
        {(aria) => (
          <Input {...aria} name="confirm" autoComplete="off" data-testid="cancel-confirm" />
        )}
      </FormField>
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div>
        <SubmitButton variant="destructive" pendingText="Cancelling…" data-testid="cancel-submit">
          Cancel subscription
        </SubmitButton>
      </div>
    </form>
  );
}
