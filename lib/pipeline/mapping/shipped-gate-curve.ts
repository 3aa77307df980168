import type { GateCurve } from "./gate-curve";
import shipped from "./gate-curve.json";

/** The gate curve that ships (`gate-curve.json`; how it is made: `gate-curve.ts`). */
export const GATE_CURVE: GateCurve = shipped;
