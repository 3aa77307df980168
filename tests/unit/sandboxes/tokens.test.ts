import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newToken } from "@/devstack/sandboxes/credentials";
import { maskToken } from "@/devstack/sandboxes/tokens";

describe("sandbox tokens", () => {
  it("carry the contract's recognisable prefixes", () => {
    expect(newToken("sbx_zd_at_")).toMatch(/^sbx_zd_at_[\w-]{32}$/);
    expect(newToken("ghs_sbx", 27)).toMatch(/^ghs_sbx[\w-]{36}$/);
  });

  it("are masked to their prefix and last four characters, whatever the random part holds", () => {
    expect(maskToken("sbx_zd_at_abc_def_ghi_jkl_mnopqrstu")).toBe("sbx_zd_at_…rstu");
    expect(maskToken("sbx_whsec_a_b_c_d_e_f_g_h_i")).toBe("sbx_whsec_…_h_i");
    fc.assert(
      fc.property(
        fc.constantFrom("sbx_zd_at_", "sbx_zd_rt_", "sbx_ic_at_", "ghs_sbx", "sbx_whsec_"),
        (prefix) => {
          const token = newToken(prefix);
          const masked = maskToken(token);
          expect(masked).toBe(`${prefix}…${token.slice(-4)}`);
        },
      ),
    );
  });
});
