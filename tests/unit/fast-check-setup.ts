import fc from "fast-check";

// Property tests run with fast-check's defaults (100 runs, a fresh seed each time). An audit for
// rare counterexamples runs them harder without editing each test:
//   FC_NUM_RUNS=5000 npx vitest run --project unit <files>
// Tests that set their own numRuns keep it.
const runs = Number(process.env.FC_NUM_RUNS);
if (Number.isInteger(runs) && runs > 0) fc.configureGlobal({ numRuns: runs });
