export { findErrorMessages, findStackTraces } from "./errors";
export { type ExtractionInput, extractBug } from "./extract";
export { type ExtractedBug, extractedBugSchema } from "./schema";
export { SEVERITY_LEVELS, type SeverityLevel } from "./severity";
export { toBugReport } from "./to-bug-report";
