import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import { PDFiumLibrary } from '@hyzyla/pdfium';

/**
 * Renders the pages of an uploaded PDF to pixels with PDFium (compiled to WebAssembly, no
 * script engine), inside a worker thread of the document pool. Nothing of the PDF survives but
 * the pixels: what it would run, open or embed is never looked at, so it cannot be hidden from us.
 */

export type PdfLimits = {
  maxPages: number;
  /** The largest page side accepted, in points (1/72 inch). */
  maxPagePoints: number;
  /** Pages are rendered with their longer side this many pixels at most. */
  maxSidePixels: number;
  /** PDFium's WebAssembly memory; a file needing more (an inflate bomb) fails to render. */
  maxMemoryMb: number;
};
export type RenderedPage = { width: number; height: number; rgba: Uint8Array };
export type PdfProblem = 'document.unreadable' | 'document.too_many_pages' | 'document.page_too_large';
export type PdfTask = { pdf: Uint8Array; limits: PdfLimits; started?: MessagePort };

type Engine = { library: Promise<PDFiumLibrary>; memory: () => number };

let compiled: WebAssembly.Module | undefined;
let engine: Engine | undefined;

/**
 * A PDFium instance whose memory cannot grow past `maxBytes`: the allocation that would is
 * refused, PDFium aborts, and the render fails instead of the process running out of memory.
 */
function startEngine(maxBytes: number): Engine {
  compiled ??= new WebAssembly.Module(
    readFileSync(createRequire(import.meta.url).resolve('@hyzyla/pdfium/pdfium.wasm')),
  );
  const wasm = compiled;
  let memory: WebAssembly.Memory | undefined;
  const library = PDFiumLibrary.init({
    instantiateWasm(imports, receive) {
      const env = imports.env as Record<string, unknown>;
      const resize = env.emscripten_resize_heap as (bytes: number) => boolean;
      env.emscripten_resize_heap = (bytes: number) => bytes >>> 0 <= maxBytes && resize(bytes);
      void WebAssembly.instantiate(wasm, imports).then((instance) => {
        memory = instance.exports.memory as WebAssembly.Memory;
        // The declared type says Module; Emscripten passes the instance through.
        receive(instance as unknown as WebAssembly.Module);
      });
      return {};
    },
  });
  return { library, memory: () => memory?.buffer.byteLength ?? 0 };
}

export async function renderPdfPages(task: PdfTask): Promise<{ pages: RenderedPage[] } | { problem: PdfProblem }> {
  const { pdf, limits } = task;
  const maxBytes = limits.maxMemoryMb * 1024 * 1024;
  engine ??= startEngine(maxBytes);
  const library = await engine.library;
  // The time budget starts now: starting PDFium is the pool's cost, not the file's.
  task.started?.postMessage('started');
  task.started?.close();
  const result = await render(library, pdf, limits);
  // A failed render may have aborted PDFium, and a large one leaves its memory grown: start afresh.
  if ('problem' in result || engine.memory() > maxBytes / 2) engine = undefined;
  return result;
}

async function render(library: PDFiumLibrary, pdf: Uint8Array, limits: PdfLimits) {
  let document: Awaited<ReturnType<PDFiumLibrary['loadDocument']>>;
  try {
    document = await library.loadDocument(pdf);
  } catch {
    return { problem: 'document.unreadable' as const };
  }
  try {
    const count = document.getPageCount();
    if (count === 0) return { problem: 'document.unreadable' as const };
    if (count > limits.maxPages) return { problem: 'document.too_many_pages' as const };
    const pages: RenderedPage[] = [];
    for (const page of document.pages()) {
      const { originalWidth, originalHeight } = page.getOriginalSize();
      const longer = Math.max(originalWidth, originalHeight);
      if (!(longer > 0) || longer > limits.maxPagePoints) return { problem: 'document.page_too_large' as const };
      const rendered = await page.render({ scale: Math.min(3, limits.maxSidePixels / longer), render: 'bitmap' });
      pages.push({ width: rendered.width, height: rendered.height, rgba: rendered.data });
    }
    return { pages };
  } catch {
    return { problem: 'document.unreadable' as const };
  } finally {
    document.destroy();
  }
}
