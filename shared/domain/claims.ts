// One claim per key, for work that must happen once however often it is asked for: a create request's
// Idempotency-Key, the mail of one event, one received mail (its Message-ID). A claim is taken by one
// holder, then completed (kept until its time to live, so a repeat finds it done) or released (so a retry
// may act). A holder that dies leaves its claim locked only for a while: once the lock has run out another
// may take it over. Only the holder completes or releases: a holder whose claim was taken over cannot.

/** What a claim carries: flat text fields (the request's hash; later the ticket it made, the mail's id). */
export type ClaimFields = Record<string, string>;

export type ClaimRecord = { state: 'in_progress' | 'completed'; fields: ClaimFields };

/** Thrown by `complete` when the claim is no longer this holder's (its lock ran out and another took it). */
export class ClaimLostError extends Error {
  constructor(readonly key: string) {
    super(`the claim on ${key} is not held by this holder`);
    this.name = 'ClaimLostError';
  }
}

export interface ClaimStore {
  /**
   * Takes the claim on `key`: free, expired, or locked by a holder whose lock ran out before `now`. Returns
   * the new holder's token, or undefined when the claim is done or another holder's lock still runs.
   */
  claim(key: string, now: Date, fields?: ClaimFields): Promise<string | undefined>;
  /** The claim as it stands, read consistently. */
  read(key: string): Promise<ClaimRecord | undefined>;
  /** Which of `keys` are claimed and done (in one or a few batch reads: for the sweeper's look at many). */
  completedAmong(keys: string[]): Promise<Set<string>>;
  /** Marks the claim done, adding `fields`; throws ClaimLostError unless `holder` holds it in progress. */
  complete(key: string, holder: string, fields?: ClaimFields): Promise<void>;
  /** Gives the claim back so that a retry acts at once; does nothing unless `holder` holds it in progress. */
  release(key: string, holder: string): Promise<void>;
}

/** A claim a write completes atomically with its own items (the ticket's transaction). */
export type HeldClaim = { key: string; holder: string };
