"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import { fieldErrorsOf, formMessage, valuesOf } from "@/lib/auth/action-state";
import { saveBillingDetails } from "./actions";

export interface DetailsValues {
  contactName: string;
  contactEmail: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  gstin: string;
}

const FIELDS: Array<{
  name: keyof DetailsValues;
  label: string;
  hint?: string;
  type?: string;
  autoComplete?: string;
  wide?: boolean;
}> = [
  { name: "contactName", label: "Contact name", autoComplete: "name" },
  { name: "contactEmail", label: "Contact email", type: "email", autoComplete: "email" },
  { name: "addressLine1", label: "Address", autoComplete: "address-line1", wide: true },
  {
    name: "addressLine2",
    label: "Address line 2 (optional)",
    autoComplete: "address-line2",
    wide: true,
  },
  { name: "city", label: "City", autoComplete: "address-level2" },
  { name: "region", label: "State or region", autoComplete: "address-level1" },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code" },
  {
    name: "country",
    label: "Country (2-letter code)",
    hint: "IN bills in INR with 18% GST; elsewhere in USD without tax.",
    autoComplete: "country",
  },
  {
    name: "gstin",
    label: "GSTIN (optional, India only)",
    hint: "15 characters, e.g. 29ABCDE1234F1Z5; printed on every invoice.",
    wide: true,
  },
];

/** Who the invoices are addressed to (owners and admins). */
export function BillingDetailsForm({ org, initial }: { org: string; initial: DetailsValues }) {
  const [state, action] = useToastedAction(saveBillingDetails);
  const errors = fieldErrorsOf(state);
  const values = valuesOf(state);
  const fieldError = FIELDS.some((f) => errors[f.name]);
  const error = state.status === "error" && !fieldError ? formMessage(state) : undefined;
  return (
    <form
      action={action}
      className="grid gap-4 sm:grid-cols-2"
      data-testid="billing-details-form"
      noValidate
    >
      <input type="hidden" name="org" value={org} />
      {FIELDS.map((f) => (
        <FormField
          key={f.name}
          id={`billing-${f.name}`}
          label={f.label}
          hint={f.hint}
          errors={errors[f.name]}
          className={f.wide ? "sm:col-span-2" : undefined}
        >
          {(aria) => (
            <Input
              {...aria}
              name={f.name}
              type={f.type ?? "text"}
              autoComplete={f.autoComplete}
              defaultValue={values[f.name] ?? initial[f.name]}
              data-testid={`billing-${f.name}`}
            />
          )}
        </FormField>
      ))}
      {error ? (
        <Alert variant="destructive" className="sm:col-span-2">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <div className="sm:col-span-2">
        <SubmitButton pendingText="Saving…" data-testid="billing-details-save">
          Save billing details
        </SubmitButton>
      </div>
    </form>
  );
}
