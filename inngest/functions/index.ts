import { applyGithubInstallation } from "./apply-github-installation";
import { draftRca } from "./draft-rca";
import { fixAttemptFunction } from "./fix-attempt";
import { fixReviewRound } from "./fix-review-round";
import { githubDeploymentStatus } from "./github-deployment-status";
import { githubPrActivity } from "./github-pr-activity";
import { indexRepositoryFunction } from "./index-repository";
import { ingestSupportTicket } from "./ingest-support-ticket";
import { notifyDailyDigest } from "./notify-daily-digest";
import { notifyEmail } from "./notify-email";
import { notifyInApp } from "./notify-in-app";
import { notifySlack } from "./notify-slack";
import { notifyTrialEnding } from "./notify-trial-ending";
import { notifyUsageWarnings } from "./notify-usage-warnings";
import { ping } from "./ping";
import { processTicket } from "./process-ticket";
import { processWebhookDelivery } from "./process-webhook-delivery";
import { publishRca } from "./publish-rca";
import { razorpaySubscriptionEvents } from "./razorpay-subscription-events";
import { recordGithubPush } from "./record-github-push";
import { relearnVocabularyFunction } from "./relearn-vocabulary";
import { remapBugFunction } from "./remap-bug";
import { resendPendingWebhookDeliveries } from "./resend-pending-webhook-deliveries";
import { rotateEncryptionKeys } from "./rotate-encryption-keys";
import { slackUpdateBugMessage } from "./slack-update-bug-message";
import { synthesizeOwnersFunction, synthesizeOwnersNowFunction } from "./synthesize-owners";

/** Every function the app serves at `/api/inngest`. One file per function in this folder. */
export const functions = [
  ping,
  processWebhookDelivery,
  resendPendingWebhookDeliveries,
  rotateEncryptionKeys,
  ingestSupportTicket,
  processTicket,
  indexRepositoryFunction,
  recordGithubPush,
  remapBugFunction,
  applyGithubInstallation,
  githubDeploymentStatus,
  draftRca,
  publishRca,
  notifyInApp,
  notifyEmail,
  notifySlack,
  slackUpdateBugMessage,
  notifyUsageWarnings,
  notifyTrialEnding,
  notifyDailyDigest,
  fixAttemptFunction,
  fixReviewRound,
  githubPrActivity,
  razorpaySubscriptionEvents,
  synthesizeOwnersFunction,
  synthesizeOwnersNowFunction,
  relearnVocabularyFunction,
];
