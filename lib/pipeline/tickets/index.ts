export { fromIntercom, type IntercomConversation } from "./intercom";
export * from "./schema";
export { normalizeText } from "./text";
export { MAX_MESSAGE_CHARS, MAX_TICKET_CHARS } from "./truncate";
export { fromZendesk, type ZendeskInput } from "./zendesk";
