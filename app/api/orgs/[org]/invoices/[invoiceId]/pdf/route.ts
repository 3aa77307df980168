import { z } from "zod";
import { orgRoute, type RouteContext } from "@/lib/auth/guards";
import { renderInvoicePdf } from "@/lib/billing/invoices/invoice-pdf";
import { invoiceForPdf } from "@/lib/billing/invoices/read";
import { AppError } from "@/lib/errors";

/**
 * GET: an invoice of the workspace as a PDF, for its owners and admins (billing.read); 404 for
 * anyone else, an unknown invoice, or another workspace's (RLS hides it, the answer is the same).
 */
export async function GET(request: Request, context: RouteContext): Promise<Response> {
  const params = await context.params;
  const invoiceId = z.uuid().safeParse(params.invoiceId);
  const handler = orgRoute(
    { permission: "billing.read", schema: z.object({}) },
    async ({ supabase, org }) => {
      if (!invoiceId.success) throw new AppError("not_found");
      const invoice = await invoiceForPdf(supabase, org, invoiceId.data);
      if (!invoice) throw new AppError("not_found");
      const bytes = await renderInvoicePdf(invoice);
      const name = `patchline-invoice-${invoice.periodStart.toISOString().slice(0, 10)}.pdf`;
      return new Response(Buffer.from(bytes), {
        headers: {
          "Content-Type": "application/pdf",
          "Content-Disposition": `attachment; filename="${name}"`,
          "Cache-Control": "private, no-store",
        },
      });
    },
  );
  return handler(request, context);
}
