import { createServer } from "node:http";
import { authRoutes } from "./auth/routes.js";
import { cartRoutes } from "./cart/routes.js";
import { catalogRoutes } from "./catalog/routes.js";
import { HttpPaymentGateway } from "./checkout/payments.js";
import { checkoutRoutes } from "./checkout/routes.js";
import { loadConfig } from "./config.js";
import { MemoryStore } from "./db/store.js";
import { Router } from "./http/router.js";
import { inventoryRoutes } from "./inventory/routes.js";
import { HttpMailer, type Mailer, MemoryMailer } from "./notifications/mailer.js";
import { Notifier } from "./notifications/notifier.js";
import { orderRoutes } from "./orders/routes.js";
import { searchRoutes } from "./search/routes.js";
import { ProductSearch } from "./search/search.js";
import { seedDemoCatalog } from "./seed.js";

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.store === "postgres") {
    throw new Error("The Postgres store ships in the platform image; run with STORE=memory locally");
  }
  const store = new MemoryStore();
  if (config.env !== "production") await seedDemoCatalog(store);

  const mailer: Mailer =
    config.env === "production" && process.env.MAIL_API_URL
      ? new HttpMailer(process.env.MAIL_API_URL, process.env.MAIL_API_KEY ?? "", config.mailFrom)
      : new MemoryMailer(true);
  const notifier = new Notifier(store, mailer, config.publicUrl);
  const payments = new HttpPaymentGateway(config.paymentsUrl, config.paymentsKey);

  let search = await ProductSearch.fromStore(store);
  // The catalog changes a few times a day; rebuilding every five minutes keeps search fresh.
  setInterval(async () => {
    search = await ProductSearch.fromStore(store);
  }, 5 * 60 * 1000).unref();

  const router = new Router();
  authRoutes(router, store, config.env === "production");
  catalogRoutes(router, store);
  searchRoutes(router, () => search);
  cartRoutes(router, store);
  checkoutRoutes(router, { store, payments, notifier });
  orderRoutes(router, { store, payments });
  inventoryRoutes(router, store, notifier);
  router.on("GET", "/healthz", async () => ({ ok: true, version: process.env.GIT_SHA ?? "dev" }));

  const server = createServer((req, res) => void router.handle(req, res));
  server.listen(config.port, () => console.info(`storefront API on :${config.port}`));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.close(() => process.exit(0)));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
