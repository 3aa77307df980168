import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from "pdf-lib";

/**
 * The strings a PDF's pages draw, read back with pdf-lib: each page's content streams are
 * decoded and the hex strings of `Tj` operators (how pdf-lib writes standard-font text) turned
 * back into text. Enough to check what an invoice says without a PDF text extractor.
 */
export async function pdfText(bytes: Uint8Array): Promise<{ doc: PDFDocument; lines: string[] }> {
  const doc = await PDFDocument.load(bytes);
  const lines: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => doc.context.lookup(ref))
        : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const source = Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
      for (const m of source.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        lines.push(Buffer.from(m[1] ?? "", "hex").toString("latin1"));
      }
    }
  }
  return { doc, lines };
}
