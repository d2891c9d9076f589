// The simulator's memory: documents and their lifecycle, the page-credit balance, the last purchase.
// Time is read from the injected clock only, so a test that moves the clock moves the whole state.
import type { SupportedMediaType } from './filetypes.js';
import type { DocumentFailure, PageResult } from './results.js';
import type { Action } from './spec.js';

/** A document as the simulator keeps it. */
export interface StoredDocument {
  readonly id: string;
  readonly fileName: string;
  readonly action: Action;
  readonly pageCount: number;
  readonly mediaType: SupportedMediaType;
  readonly extractorId: string | undefined;
  /** The upload's `prompt_id` (Enterprise plans). */
  readonly promptId: string | undefined;
  readonly webhookUrl: string | undefined;
  /** Upload time (ms since the epoch, by the simulator's clock). */
  readonly createdAt: number;
  /** When processing ends. */
  readonly dueAt: number;
  /** When the document is deleted automatically (`delete_after`). */
  readonly deleteAt: number;
  /** What processing will have produced (decided at upload): the pages, or why the document fails. */
  readonly outcome: PageResult[] | DocumentFailure;
  /** Set once processing has ended. */
  final: 'processed' | 'failed' | undefined;
  updatedAt: number;
  /** Credits charged when processing ended (pages that did not fail). */
  charged: number;
}

/** A document's status at a given moment: queued for the first half of its processing time, then processing. */
export function statusAt(doc: StoredDocument, now: number): 'queued' | 'processing' | 'processed' | 'failed' {
  if (doc.final) return doc.final;
  return now < doc.createdAt + (doc.dueAt - doc.createdAt) / 2 ? 'queued' : 'processing';
}

/** Documents, credits and purchases; `settle()` applies whatever the clock says has happened. */
export class Store {
  private readonly docs = new Map<string, StoredDocument>();
  /** Page credits left. */
  balance: number;
  /** Time of the last successful credit purchase. */
  lastTopupAt: number | undefined;

  constructor(
    private readonly now: () => number,
    initialBalance: number,
    private readonly onFinal: (doc: StoredDocument) => void,
  ) {
    this.balance = initialBalance;
  }

  add(doc: StoredDocument): void {
    this.docs.set(doc.id, doc);
  }

  get(id: string): StoredDocument | undefined {
    this.settle();
    return this.docs.get(id);
  }

  delete(id: string): boolean {
    this.settle();
    return this.docs.delete(id);
  }

  /** Every live document, newest first. */
  list(): StoredDocument[] {
    this.settle();
    // Map order is upload order, so reversing breaks ties between equal timestamps newest-first too.
    return [...this.docs.values()].reverse().sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Pages of documents still processing: upload checks its page count against the balance minus these. */
  reservedPages(): number {
    this.settle();
    let pages = 0;
    for (const doc of this.docs.values()) if (!doc.final) pages += doc.pageCount;
    return pages;
  }

  /** When the next pending document is due, if any. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const doc of this.docs.values())
      if (!doc.final && (next === undefined || doc.dueAt < next)) next = doc.dueAt;
    return next;
  }

  /** Ends the processing that is due and removes the documents whose deletion time has come. */
  settle(): void {
    const now = this.now();
    for (const doc of this.docs.values()) {
      if (!doc.final && now >= doc.dueAt) this.finish(doc, doc.dueAt);
      if (now >= doc.deleteAt) this.docs.delete(doc.id);
    }
  }

  /** Ends every pending document's processing now. */
  finishAll(): void {
    const now = this.now();
    for (const doc of this.docs.values()) if (!doc.final) this.finish(doc, now);
  }

  // Credits are charged when processing ends, one per page that did not fail (the API's rule).
  private finish(doc: StoredDocument, at: number): void {
    doc.final = Array.isArray(doc.outcome) ? 'processed' : 'failed';
    doc.updatedAt = at;
    doc.charged = Array.isArray(doc.outcome) ? doc.outcome.filter((p) => p.ok).length : 0;
    this.balance = Math.max(0, this.balance - doc.charged);
    this.onFinal(doc);
  }

  clear(balance: number): void {
    this.docs.clear();
    this.balance = balance;
    this.lastTopupAt = undefined;
  }
}
