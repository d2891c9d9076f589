/**
 * `handwriting-ocr/testing`: a stateful, in-memory Handwriting OCR API (v3) on a real HTTP port, for tests.
 * Node only. Its answers conform to the project's OpenAPI document.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'handwriting-ocr/testing';
 * const sim = await startSimulator({ processingMs: 50 });
 * // point a client at sim.url with sim.token …
 * sim.faults.inject({ route: 'GET /documents/{id}', kind: 'status', status: 429 });
 * await sim.close();
 * ```
 *
 * @packageDocumentation
 * @module handwriting-ocr/testing
 */

export type { AcceptedMime } from '../file-type.js';
export type { PaymentOutcome, SimulatedUser } from './context.js';
export type {
  DelayFault,
  DropFault,
  FaultController,
  FaultHandle,
  FaultKind,
  FaultSpec,
  HangFault,
  StatusFault,
} from './faults.js';
export type { SupportedMediaType } from './filetypes.js';
export { samplePdf, samplePng } from './fixtures.js';
export { FORMATS_BY_ACTION } from './formats.js';
export type {
  DocumentFailure,
  PageOutcome,
  SimulatedPage,
  TranscribeHook,
  TranscribeInput,
  TranscribeOutcome,
} from './results.js';
export type { RequestRecord } from './server.js';
export type { DocumentSnapshot, Simulator, SimulatorOptions } from './simulator.js';
export { startSimulator } from './simulator.js';
export type { RouteKey } from './spec.js';
export { signWebhook, type WebhookDelivery } from './webhooks.js';
