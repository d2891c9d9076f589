// A contract case is data: the spec item it covers (operation, status, media type, named example) and
// what it does. The meta-test compares these keys with what the spec documents; mock.test.ts runs them.
import type { HandwritingOCR, RequestOptions } from '../../src/index.js';
import type { Recorder } from '../lib/recorder.js';
import { itemKey } from '../lib/spec.js';

export interface CaseTools {
  /** A client pointed at `prism mock`, recording every exchange, never retrying. */
  client: HandwritingOCR;
  recorder: Recorder;
  /** Per-call options that make Prism answer this case's status (and named example). */
  prefer: RequestOptions;
  /** The documented example body Prism sends for this case. */
  example: unknown;
  /** The mock's base URL, for a case that must send what the SDK has no method for (a refused method). */
  baseUrl: string;
}

export interface ContractCase {
  operationId: string;
  status: string;
  /** Only where the status documents several media types. */
  mediaType?: string;
  /** A named example of the response. */
  example?: string;
  title: string;
  /**
   * Whether the case talks HTTP. When it does, the runner checks afterwards that every exchange conforms to
   * the spec, carries no `sl-violations`, and that the last one has the case's status.
   */
  http?: boolean;
  run(tools: CaseTools): Promise<void>;
}

export const caseKey = (c: ContractCase): string => itemKey(c);

/** The test name: the key in brackets (the summary reporter reads it), then what the case asserts. */
export const caseName = (c: ContractCase): string => `[${caseKey(c)}] ${c.title}`;
