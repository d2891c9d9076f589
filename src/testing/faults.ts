// Scripted misbehaviour per route: error statuses, hangs, dropped connections, slow answers.
import { type Reply, untypedJson } from './reply.js';
import { DOCUMENTED_STATUSES, type RouteKey } from './spec.js';

/** The kinds of fault. */
export type FaultKind = 'status' | 'hang' | 'drop' | 'delay';

interface FaultBase {
  /** The route to misbehave on, e.g. `'POST /documents'`, or `'*'` for every route. */
  route: RouteKey | '*';
  /** How many matching requests the fault applies to (default 1; `Infinity` until cleared). */
  times?: number;
  /**
   * `'before'` (default): the request is not carried out (nothing is created, charged or deleted).
   * `'after'`: it is carried out, then its answer is replaced — e.g. an upload that created a document
   * but whose answer was lost, the case where a client must not retry.
   */
  when?: 'before' | 'after';
}

/**
 * Answer with an error status and a body that conforms to the spec's error schemas (`Retry-After: 1` by
 * default on a 429).
 *
 * {@link FaultController.documentedStatuses} lists what the spec documents per route, e.g. 429 and 500 on the
 * document routes but only 401 on `GET /users/me`. Other statuses (502, 503, 504, …) are answered too, but a
 * validating proxy such as Prism flags them as a violation (a warning in its `sl-violations` header, which
 * `--errors` does not turn into a 500): fine for unit tests of retry logic, avoid them in contract tests.
 */
export interface StatusFault extends FaultBase {
  kind: 'status';
  /** An HTTP status, 400..599. */
  status: number;
  /** `Retry-After` to send: seconds or a date. Default `1` on a 429, none otherwise. */
  retryAfter?: number | Date;
  /** Replaces the default body (`{ message }`, plus `authentication_url` on a 402). */
  body?: Record<string, unknown>;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** Never answer; the connection stays open until the client gives up or the simulator closes. */
export interface HangFault extends FaultBase {
  kind: 'hang';
}

/** Destroy the connection without an answer (the client sees a network error). */
export interface DropFault extends FaultBase {
  kind: 'drop';
}

/** Answer normally, but only after `ms` milliseconds. */
export interface DelayFault extends FaultBase {
  kind: 'delay';
  ms: number;
}

/** A fault to inject. */
export type FaultSpec = StatusFault | HangFault | DropFault | DelayFault;

/** A live fault: how often it has struck, how often it still will, and a way to withdraw it. */
export interface FaultHandle {
  readonly spec: Readonly<FaultSpec>;
  /** Requests it has affected so far. */
  readonly hits: number;
  /** Requests it will still affect. */
  readonly remaining: number;
  /** Withdraws the fault. */
  remove(): void;
}

interface LiveFault {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad Request.',
  401: 'Unauthenticated.',
  402: 'This payment requires additional authentication.',
  403: 'This action is unauthorized.',
  404: 'Not found.',
  413: 'The file may not be greater than 20 MB.',
  415: 'Unsupported file type. Valid file types are PDF, JPG, PNG, TIFF, HEIC, GIF.',
  422: 'The given data was invalid.',
  429: 'Too Many Attempts.',
};

/** Faults to inject into the simulator's answers (available as `sim.faults`). */
export class FaultController {
  private faults: LiveFault[] = [];

  /** Adds a fault; the first live fault matching a request's route applies. */
  inject(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? 1;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`faults.inject: times must be a positive integer or Infinity, got ${times}`);
    }
    if (
      spec.kind === 'status' &&
      !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
    ) {
      throw new RangeError(`faults.inject: status must be 400..599, got ${spec.status}`);
    }
    if (spec.kind === 'delay' && !(spec.ms >= 0)) {
      throw new RangeError(`faults.inject: ms must be >= 0, got ${spec.ms}`);
    }
    const live: LiveFault = { spec: { ...spec }, hits: 0, remaining: times };
    this.faults.push(live);
    const faults = this;
    return {
      spec: live.spec,
      get hits() {
        return live.hits;
      },
      get remaining() {
        return live.remaining;
      },
      remove() {
        faults.faults = faults.faults.filter((f) => f !== live);
      },
    };
  }

  /** Withdraws every fault, or those of one route. */
  clear(route?: RouteKey | '*'): void {
    this.faults = route === undefined ? [] : this.faults.filter((f) => f.spec.route !== route);
  }

  /** Faults that will still strike. */
  get active(): readonly Readonly<FaultSpec>[] {
    return this.faults.map((f) => f.spec);
  }

  /** The statuses the spec documents for a route: what a validating proxy lets through without complaint. */
  documentedStatuses(route: RouteKey): readonly number[] {
    return DOCUMENTED_STATUSES[route];
  }

  /** @internal Consumes the fault that applies to a request of this route, if any. */
  take(route: RouteKey): FaultSpec | undefined {
    const live = this.faults.find((f) => f.spec.route === route || f.spec.route === '*');
    if (!live) return undefined;
    live.hits++;
    live.remaining--;
    if (live.remaining <= 0) this.faults = this.faults.filter((f) => f !== live);
    return live.spec;
  }
}

/** The answer of a `status` fault: a body that conforms to every error schema of the spec. */
export function faultReply(fault: StatusFault): Reply {
  const headers: Record<string, string> = { ...fault.headers };
  const retryAfter = fault.retryAfter ?? (fault.status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) {
    headers['retry-after'] =
      retryAfter instanceof Date ? retryAfter.toUTCString() : String(Math.max(0, Math.ceil(retryAfter)));
  }
  const message = DEFAULT_MESSAGES[fault.status] ?? (fault.status >= 500 ? 'Server Error' : 'Error.');
  const body =
    fault.body ??
    (fault.status === 402
      ? { message, authentication_url: 'https://app.handwritingocr.com/payments/authenticate/pi_simulated' }
      : fault.status === 422
        ? { message, errors: {} }
        : { message });
  return untypedJson(fault.status, body, headers);
}
