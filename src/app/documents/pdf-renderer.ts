import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { err, ok, type Result } from '../../domain/result.ts';
import { PDF_LIMITS } from './document-content.ts';
import type { PdfLimits, PdfProblem, PdfTask, RenderedPage } from './pdf-pages.ts';

export type PdfRenderProblem = PdfProblem | 'document.too_complex' | 'document.busy';
export type PdfRenderer = {
  /** `owner` (an account) has one file rendered at a time; another sent meanwhile is answered "busy". */
  render(pdf: Buffer, owner?: string): Promise<Result<RenderedPage[], PdfRenderProblem>>;
  close(): Promise<void>;
};

export type PdfRendererOptions = {
  /** Worker threads; PDF rendering is CPU-bound, so no more than the cores. */
  threads?: number;
  /** Files waiting for a thread beyond these are answered "busy, try again" at once. */
  queue?: number;
  /** Time one file may take once a thread runs it; then the thread is stopped and the file refused. */
  budgetMs?: number;
  /** Time a file may wait for a thread before it is answered "busy". */
  waitMs?: number;
  /** JavaScript heap of a worker; PDFium's own memory is bounded by the page and pixel limits. */
  heapMb?: number;
  limits?: Partial<PdfLimits>;
};

/**
 * Renders uploaded PDFs in a pool of worker threads, so a slow or hostile file costs one thread
 * for at most its time budget and never the event loop that serves everyone else. Each owner has
 * at most one file in the pool, so one subscriber sending many at once cannot fill the threads
 * and the short queue that everybody else's uploads wait in.
 */
export function pdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  const threads = options.threads ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  const { queue = 4, budgetMs = 10_000, waitMs = 20_000, heapMb = 128 } = options;
  const limits = { ...PDF_LIMITS, ...options.limits };
  const pool = new Piscina({
    filename: new URL('./pdf-pages-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    maxQueue: queue,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });

  const rendering = new Set<string>();

  async function render(pdf: Buffer, owner?: string): Promise<Result<RenderedPage[], PdfRenderProblem>> {
    if (owner !== undefined && rendering.has(owner)) return err('document.busy');
    if (owner !== undefined) rendering.add(owner);
    try {
      return await renderInPool(pdf);
    } finally {
      if (owner !== undefined) rendering.delete(owner);
    }
  }

  async function renderInPool(pdf: Buffer): Promise<Result<RenderedPage[], PdfRenderProblem>> {
    if (pool.queueSize >= queue) return err('document.busy');
    const controller = new AbortController();
    const channel = new MessageChannel();
    let started = false;
    const waiting = setTimeout(() => controller.abort(), waitMs);
    let running: NodeJS.Timeout | undefined;
    channel.port1.once('message', () => {
      started = true;
      clearTimeout(waiting);
      running = setTimeout(() => controller.abort(), budgetMs);
    });
    const task: PdfTask = { pdf: new Uint8Array(pdf), limits, started: channel.port2 };
    try {
      const result = await pool.run(task, { signal: controller.signal, transferList: [channel.port2] });
      return 'problem' in result ? err(result.problem) : ok(result.pages);
    } catch (error) {
      if (controller.signal.aborted) return err(started ? 'document.too_complex' : 'document.busy');
      if ((error as Error).message === 'Task queue is at limit') return err('document.busy');
      throw error;
    } finally {
      clearTimeout(waiting);
      clearTimeout(running);
      channel.port1.close();
    }
  }

  return { render, close: () => pool.destroy() };
}
