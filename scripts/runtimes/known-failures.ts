// Failures known and being fixed elsewhere. A row whose every failure matches one of these counts as known (the
// run still passes); any other failure fails the run, and so does a row listed here that passes: delete its entry
// then, so the list never hides a regression.
export interface KnownFailure {
  /** Matches the row's label (`<runtime> <variant>`, e.g. `workerd module Worker, nodejs_compat`). */
  row: RegExp;
  /** Matches every failure message of the row. */
  detail: RegExp;
  why: string;
}

export const KNOWN_FAILURES: KnownFailure[] = [];
