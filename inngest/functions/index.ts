import { ping } from "./ping";

/** Every function the app serves at `/api/inngest`. One file per function in this folder. */
export const functions = [ping];
