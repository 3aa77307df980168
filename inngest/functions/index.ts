import { ping } from "./ping";
import { processWebhookDelivery } from "./process-webhook-delivery";
import { resendPendingWebhookDeliveries } from "./resend-pending-webhook-deliveries";
import { rotateEncryptionKeys } from "./rotate-encryption-keys";

/** Every function the app serves at `/api/inngest`. One file per function in this folder. */
export const functions = [
  ping,
  processWebhookDelivery,
  resendPendingWebhookDeliveries,
  rotateEncryptionKeys,
];
