export { type Classification, classifyText } from "./classify";
export { NOISE_LABELS, type NoiseLabel } from "./cues";
export {
  DEFAULT_SKIP_TAGS,
  filterNoise,
  type NoiseOptions,
  type NoiseResult,
  noiseResultSchema,
} from "./filter";
export { detectLanguage } from "./language";
export { STRIP_KINDS, type StripKind, stripTurns } from "./turns";
