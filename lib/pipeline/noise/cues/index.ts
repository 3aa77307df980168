import { DE } from "./de";
import type { Cue } from "./define";
import { EN } from "./en";
import { ES } from "./es";
import { FR } from "./fr";
import { PT } from "./pt";

export { type Cue, type CueLanguage, NOISE_LABELS, type NoiseLabel } from "./define";

/** Every cue of the five languages; classification filters them by the ticket's language. */
export const CUES: Cue[] = [...EN, ...ES, ...FR, ...DE, ...PT];
