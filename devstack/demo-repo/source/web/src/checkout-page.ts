import { ApiError, api } from "./api.js";
import { formatPrice } from "./format.js";

interface CheckoutAnswer {
  order: { id: string; number: number; totalCents: number };
}

/**
 * The pay button. The card form is the payment provider's iframe; it gives us a token, and we
 * send the token with the address and the total the shopper saw.
 */
export function bindCheckout(form: HTMLFormElement, getPaymentToken: () => Promise<string>): void {
  const status = form.querySelector<HTMLElement>("[data-status]")!;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = "Placing your order…";
    const data = new FormData(form);
    try {
      const answer = await api<CheckoutAnswer>("/checkout", {
        method: "POST",
        body: JSON.stringify({
          cartId: data.get("cartId"),
          method: data.get("method"),
          expectedTotalCents: Number(data.get("expectedTotalCents")),
          paymentToken: await getPaymentToken(),
          address: {
            name: data.get("name"),
            line1: data.get("line1"),
            line2: data.get("line2") || undefined,
            city: data.get("city"),
            region: data.get("region"),
            postalCode: data.get("postalCode"),
            country: data.get("country"),
          },
        }),
      });
      window.location.assign(`/orders/${answer.order.id}?placed=1`);
    } catch (error) {
      if (error instanceof ApiError && error.code === "price_changed") {
        status.textContent = "Prices changed since you opened this page. Please review your new total.";
        window.location.reload();
        return;
      }
      status.textContent = error instanceof Error ? error.message : "Something went wrong.";
      button.disabled = false;
      button.textContent = error instanceof ApiError && error.retryable ? "Try again" : "Place order";
    }
  });
}

export function renderSummary(root: HTMLElement, totals: { totalCents: number; shippingCents: number; taxCents: number }): void {
  root.querySelector("[data-shipping]")!.textContent =
    totals.shippingCents === 0 ? "Free" : formatPrice(totals.shippingCents);
  root.querySelector("[data-tax]")!.textContent = formatPrice(totals.taxCents);
  root.querySelector("[data-total]")!.textContent = formatPrice(totals.totalCents);
}
