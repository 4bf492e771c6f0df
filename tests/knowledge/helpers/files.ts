/** Real files made by real libraries for the loader tests: DOCX (docx), PDF (pdfkit), GBK text (iconv-lite). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';

export const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

export async function tempDir(prefix = 'pufa-knowledge-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A DOCX with one paragraph per line, as the national law database (flk.npc.gov.cn) serves its laws. */
export async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) }],
  });
  return Packer.toBuffer(doc);
}

function renderPdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

/** A PDF with a text layer: each page's lines, plus a running header and a page-number footer. */
export function makeTextPdf(pages: string[][], header?: string): Promise<Buffer> {
  return renderPdf((doc) => {
    doc.font(CJK_FONT, 'WenQuanYiMicroHei').fontSize(11);
    pages.forEach((lines, i) => {
      if (i > 0) doc.addPage();
      if (header) doc.text(header, { align: 'center' });
      for (const line of lines) doc.text(line);
      doc.text(`- ${i + 1} -`, { align: 'center' });
    });
  });
}

/** A PDF that only draws shapes: what a scanner produces, as far as a text layer goes. */
export function makeImageOnlyPdf(): Promise<Buffer> {
  return renderPdf((doc) => {
    for (let i = 0; i < 20; i++) doc.rect(50 + i * 10, 50 + i * 15, 200, 8).fill(i % 2 ? '#333333' : '#999999');
    doc.addPage();
    doc.circle(200, 200, 80).fill('#555555');
  });
}

export function gbk(text: string): Buffer {
  return iconv.encode(text, 'gbk');
}
