export { ibanValid, luhnValid } from "./luhn";
export { type Redaction, RISK_TAGS, type RiskTag, redactionSchema, redactPii } from "./redact";
