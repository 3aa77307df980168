/** The tests' way to the running devstack's env file; the reader lives in scripts/lib. */
export { type DevstackEnv, devstackEnv } from "../../scripts/lib/devstack-env";
