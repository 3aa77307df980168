import { describe, expect, it } from "vitest";
import { auditCategory, describeAudit } from "@/components/audit/describe";

/** The audit log's sentence for a change of the pipeline gates (Settings → Pipeline gates). */
describe("pipeline.gates_changed in the audit log", () => {
  const row = (metadata: Record<string, string | null>) => ({
    action: "pipeline.gates_changed",
    actor_email: "owner@example.test",
    target_type: "organization",
    target_id: "org-1",
    metadata,
  });

  it("says what changed, and the unchanged gate as it is", () => {
    expect(
      describeAudit(
        row({
          extraction_from: "0.70",
          extraction_to: "0.70",
          mapping_from: "0.75",
          mapping_to: "0.80",
        }),
      ),
    ).toBe("Changed the pipeline gates: extraction 0.70, mapping 0.75 → 0.80");
  });

  it("gives the values of a first save (no earlier row)", () => {
    expect(
      describeAudit(
        row({
          extraction_from: null,
          extraction_to: "0.65",
          mapping_from: null,
          mapping_to: "0.90",
        }),
      ),
    ).toBe("Changed the pipeline gates: extraction 0.65, mapping 0.90");
  });

  it("is a workspace event", () => {
    expect(auditCategory("pipeline.gates_changed")).toBe("workspace");
  });
});
