import { api } from "./api.js";
import { formatPrice, pluralize } from "./format.js";

interface CartLine {
  productId: string;
  title: string;
  unitPriceCents: number;
  quantity: number;
}

interface CartResponse {
  cart: { id: string; lines: CartLine[]; discountCode?: string };
  totals: { subtotalCents: number; discountCents: number; totalCents: number; hint?: string };
}

/** Render the cart drawer from an API answer. Plain DOM: the page has no framework. */
export function renderCart(root: HTMLElement, data: CartResponse): void {
  const { cart, totals } = data;
  const count = cart.lines.reduce((n, l) => n + l.quantity, 0);
  root.querySelector("[data-cart-count]")!.textContent = pluralize(count, "item");
  const list = root.querySelector("[data-cart-lines]")!;
  list.replaceChildren(
    ...cart.lines.map((line) => {
      const li = document.createElement("li");
      li.dataset.productId = line.productId;
      li.innerHTML = `<span class="title"></span>
        <input type="number" min="0" max="99" aria-label="Quantity" value="${line.quantity}">
        <span class="price">${formatPrice(line.unitPriceCents * line.quantity)}</span>`;
      li.querySelector(".title")!.textContent = line.title;
      return li;
    }),
  );
  root.querySelector("[data-subtotal]")!.textContent = formatPrice(totals.subtotalCents);
  const discountRow = root.querySelector<HTMLElement>("[data-discount-row]")!;
  discountRow.hidden = totals.discountCents === 0;
  discountRow.querySelector("[data-discount]")!.textContent = `−${formatPrice(totals.discountCents)}`;
  root.querySelector("[data-total]")!.textContent = formatPrice(totals.totalCents);
  root.querySelector("[data-shipping-hint]")!.textContent = totals.hint ?? "You get free standard shipping";
}

export function bindCart(root: HTMLElement, cartId: string): void {
  root.addEventListener("change", async (event) => {
    const input = event.target as HTMLInputElement;
    const productId = input.closest<HTMLElement>("li")?.dataset.productId;
    if (!productId) return;
    const data = await api<CartResponse>(`/carts/${cartId}/lines/${productId}`, {
      method: "PATCH",
      body: JSON.stringify({ quantity: Number(input.value) }),
    });
    renderCart(root, data);
  });

  root.querySelector("form[data-discount-form]")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const code = new FormData(form).get("code");
    const error = form.querySelector("[data-error]")!;
    try {
      const data = await api<CartResponse>(`/carts/${cartId}/discount`, {
        method: "POST",
        body: JSON.stringify({ code }),
      });
      error.textContent = "";
      renderCart(root, data);
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : "That code can't be used";
    }
  });
}
