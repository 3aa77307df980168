"use client";

import { TriangleAlertIcon } from "lucide-react";
import { useState } from "react";
import { ProbabilityField } from "@/components/pipeline/probability-field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToastedAction } from "@/components/ui/use-toasted-action";
import type { Gates } from "@/lib/pipeline/gates/settings";
import {
  curveProvenance,
  GATE_MIN_ANSWERS,
  GATE_TARGET,
  type GateCurve,
  gateFigures,
} from "@/lib/pipeline/mapping/gate-curve";
import { GATE_CURVE } from "@/lib/pipeline/mapping/shipped-gate-curve";
import { saveGateSettings } from "./actions";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * The workspace's two confidence gates (owners and admins edit, others read). Under the mapping
 * gate, live as it changes, what the held-out gate curve measured at that threshold: the share
 * of answers whose top file is right and the share of bugs that would pass, and a warning when
 * fewer than 85% would be right.
 */
export function GateSettingsForm({
  org,
  gates,
  disabled,
  curve = GATE_CURVE,
}: {
  org: string;
  gates: Gates;
  disabled: boolean;
  curve?: GateCurve;
}) {
  const [state, action] = useToastedAction(saveGateSettings);
  const errors = state.status === "error" ? state.fieldErrors : {};
  const [mapping, setMapping] = useState(String(gates.mapping));
  const value = (name: keyof Gates, fallback: string) =>
    state.status === "error" ? (state.values[name] ?? fallback) : fallback;
  return (
    <form action={action} className="grid gap-4" data-testid="gate-settings-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <div className="grid gap-4 sm:grid-cols-2">
        <ProbabilityField
          id="gate-extraction"
          name="extraction"
          label="Extraction gate"
          errors={errors.extraction}
          hint="A ticket's bug report at or above this confidence (0 to 1) counts as complete; below it, the bug waits in review."
          defaultValue={value("extraction", String(gates.extraction))}
          disabled={disabled}
          data-testid="gate-extraction"
        />
        <ProbabilityField
          id="gate-mapping"
          name="mapping"
          label="Mapping gate"
          errors={errors.mapping}
          hint="A bug whose top code location is at or above this confidence (0 to 1) becomes a Mapped Bug; below it, it waits in review."
          value={mapping}
          onChange={(e) => setMapping(e.target.value)}
          disabled={disabled}
          data-testid="gate-mapping"
        />
      </div>
      <MeasuredAt curve={curve} value={mapping} />
      <p className="text-sm text-muted-foreground">
        A change applies to tickets processed from now on; bugs already mapped or waiting in review
        keep their status.
      </p>
      {state.status === "error" && Object.keys(errors).length === 0 ? (
        <Alert variant="destructive" data-testid="gate-settings-error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {disabled ? null : (
        <div>
          <SubmitButton pendingText="Saving…" data-testid="gate-settings-save">
            Save gates
          </SubmitButton>
        </div>
      )}
    </form>
  );
}

/** The curve's figures at the typed mapping gate, or nothing while it is not a number in 0–1. */
function MeasuredAt({ curve, value }: { curve: GateCurve; value: string }) {
  const t = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(t) || t < 0 || t > 1 || curve.points.length === 0) return null;
  const f = gateFigures(curve, t);
  const low = f.rightShare !== null && f.rightShare < GATE_TARGET;
  return (
    <div className="grid gap-3" data-testid="gate-measured">
      <div className="grid max-w-xl gap-3 rounded-lg border bg-muted/40 p-3 text-sm">
        <dl className="grid grid-cols-2 gap-3">
          <div>
            <dt className="text-muted-foreground">Answers right</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="gate-right-share">
              {f.rightShare === null ? "–" : pct(f.rightShare)}
            </dd>
          </div>
          <div>
            <dt className="text-muted-foreground">Bugs that would pass</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="gate-pass-share">
              {pct(f.passShare)}
            </dd>
            <dd className="text-xs text-muted-foreground" data-testid="gate-pass-count">
              {Math.round(f.answers)} of {curve.n} reports
            </dd>
          </div>
        </dl>
        <p className="text-xs text-muted-foreground" data-testid="gate-provenance">
          Measured at {f.measuredAt === null ? t.toFixed(2) : f.measuredAt.toFixed(2)},{" "}
          {curveProvenance(curve)} ({curve.date}). &ldquo;Right&rdquo; means the top file is the one
          the fix changed.
          {f.answers < GATE_MIN_ANSWERS
            ? ` Fewer than ${GATE_MIN_ANSWERS} reports pass here: the share of right answers rests on too few to trust.`
            : null}
        </p>
      </div>
      {low ? (
        <Alert
          className="max-w-xl border-amber-500/40 bg-amber-50 text-amber-900 [&>svg]:text-current"
          data-testid="gate-low-warning"
        >
          <TriangleAlertIcon aria-hidden="true" />
          <AlertDescription className="text-amber-900">
            Below {Math.round(GATE_TARGET * 100)}% right: about{" "}
            {Math.round((1 - (f.rightShare ?? 0)) * 100)} in 100 Mapped Bugs would point at the
            wrong file.
          </AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}
