/**
 * The Inngest event id of a recorded delivery, derived from its ledger row: a second send of the
 * same row (a redelivery, the re-send sweep, a send that got through but was not marked) is
 * dropped by Inngest's event dedupe. Pure, so the load run can name its own events.
 */
export const deliveryEventId = (deliveryId: string) => `webhook-delivery:${deliveryId}`;
