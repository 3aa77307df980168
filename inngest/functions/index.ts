import { ping } from "./ping";
import { rotateEncryptionKeys } from "./rotate-encryption-keys";

/** Every function the app serves at `/api/inngest`. One file per function in this folder. */
export const functions = [ping, rotateEncryptionKeys];
