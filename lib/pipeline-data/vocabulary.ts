import "server-only";
import { inngest } from "@/inngest/client";
import { vocabularyCorrected } from "@/inngest/events";
import { log } from "@/lib/log";

const vocabularyLog = log.child({ module: "pipeline-data.vocabulary" });

/**
 * Tells the workspace's vocabulary learner that a person's judgment changed (a location marked
 * or unmarked mismapped): `relearn-vocabulary`, debounced per workspace. The mark itself is
 * already saved and the next correction or index learns it anyway, so a failed send is logged,
 * not shown: the person's action succeeded.
 */
export async function requestVocabularyRelearn(organizationId: string, bugId: string) {
  try {
    await inngest.send(vocabularyCorrected.create({ organizationId, bugId }));
  } catch (error) {
    vocabularyLog.warn(
      { organizationId, bugId, errorName: error instanceof Error ? error.name : "unknown" },
      "vocabulary re-learn could not be requested",
    );
  }
}
