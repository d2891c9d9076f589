// What request handlers share: the resolved configuration, the store and the clock.
import type { TranscribeHook } from './results.js';
import type { Store } from './state.js';

/**
 * How `POST /credits/topup` ends once the amount is valid:
 * - `ok`: 200, the credits are added;
 * - `requires_action`: 402 with `authentication_url` (3-D Secure);
 * - `declined`: 422 `payment_failed` with a `decline_code`;
 * - `no_payment_method`: 422 `no_payment_method`;
 * - `no_subscription`: 403 (credits need an active subscription).
 */
export type PaymentOutcome = 'ok' | 'requires_action' | 'declined' | 'no_payment_method' | 'no_subscription';

/** The account `GET /users/me` describes. */
export interface SimulatedUser {
  /** Default `'SimUser001'`. */
  id?: string;
  /** Default `'Simulated User'`. */
  name?: string;
  /** Default `'user@example.com'`. */
  email?: string;
  /** Default `true`. */
  verified?: boolean;
  /** Account tier; default `'medium-monthly'`. */
  type?: string;
  /** Whether the account is blocked, as `GET /users/me` reports it (the simulator does not act on it). Default `false`. */
  blocked?: boolean;
}

/** The options once defaults are applied. */
export interface Config {
  readonly token: string;
  readonly processingMs: number;
  readonly pendingRetryAfter: number | undefined;
  readonly pendingStatusCode: 200 | 202;
  readonly defaultDeleteAfter: number;
  readonly maxFileBytes: number;
  readonly webhookUrl: string | undefined;
  readonly transcribe: TranscribeHook | undefined;
  readonly user: Required<SimulatedUser>;
  readonly startedAt: number;
}

/** Mutable account settings. */
export interface Payment {
  outcome: PaymentOutcome;
  declineCode: string;
}

/** Everything a handler may use. */
export interface Context {
  readonly config: Config;
  readonly store: Store;
  readonly payment: Payment;
  /** The simulator's clock (ms since the epoch). */
  readonly now: () => number;
  /** The base URL absolute links are built on (`next_page_url`, thumbnails). */
  readonly publicUrl: () => string;
  /** Arranges for a new document's processing to end on time. */
  readonly schedule: () => void;
}
