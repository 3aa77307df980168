import { describe, expect, it } from "vitest";
import { FIX_SETTINGS_DEFAULTS, fixSettingsFromRow, fixSettingsSchema } from "@/lib/fixes/settings";

describe("lib/fixes/settings", () => {
  it("parses the settings form within the table's bounds", () => {
    expect(
      fixSettingsSchema.parse({
        autoFixThreshold: "0.85",
        rcaApprovalRequired: "on",
        rcaMinClusterSize: "5",
        reviewRoundsMax: "0",
      }),
    ).toEqual({
      autoFixThreshold: 0.85,
      rcaApprovalRequired: true,
      rcaMinClusterSize: 5,
      reviewRoundsMax: 0,
    });
    const base = { autoFixThreshold: "0.9", rcaMinClusterSize: "3", reviewRoundsMax: "3" };
    expect(
      fixSettingsSchema.parse({ ...base, rcaApprovalRequired: "false" }).rcaApprovalRequired,
    ).toBe(false);
    expect(fixSettingsSchema.parse(base).rcaApprovalRequired).toBe(false);
    for (const bad of [
      { autoFixThreshold: "" },
      { autoFixThreshold: "1.5" },
      { autoFixThreshold: "0.855" },
      { rcaMinClusterSize: "0" },
      { rcaMinClusterSize: "2.5" },
      { reviewRoundsMax: "21" },
    ]) {
      const input = {
        autoFixThreshold: "0.9",
        rcaApprovalRequired: "",
        rcaMinClusterSize: "3",
        reviewRoundsMax: "3",
        ...bad,
      };
      expect(fixSettingsSchema.safeParse(input).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("an empty threshold is an error beside the field, not 0", () => {
    const result = fixSettingsSchema.safeParse({
      autoFixThreshold: "",
      rcaMinClusterSize: "3",
      reviewRoundsMax: "3",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["autoFixThreshold", "Enter a number from 0 to 1"],
    ]);
  });

  it("an empty count is an error beside its field, not 0 (0 review rounds would stop re-patching)", () => {
    const result = fixSettingsSchema.safeParse({
      autoFixThreshold: "0.9",
      rcaMinClusterSize: " ",
      reviewRoundsMax: "",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["rcaMinClusterSize", "Enter a whole number"],
      ["reviewRoundsMax", "Enter a whole number"],
    ]);
  });

  it("reads a row (numeric as text) or falls back to the defaults", () => {
    expect(fixSettingsFromRow(null)).toEqual(FIX_SETTINGS_DEFAULTS);
    expect(
      fixSettingsFromRow({
        organization_id: "o",
        auto_fix_threshold: "0.75" as unknown as number,
        rca_approval_required: false,
        rca_min_cluster_size: 2,
        review_rounds_max: 1,
        updated_by: null,
        created_at: "",
        updated_at: "",
      }),
    ).toEqual({
      autoFixThreshold: 0.75,
      rcaApprovalRequired: false,
      rcaMinClusterSize: 2,
      reviewRoundsMax: 1,
    });
  });
});
