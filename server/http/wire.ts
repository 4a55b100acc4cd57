/**
 * The request kernel's part of the browser contract: the JSON shape of every 4xx/5xx answer.
 * Type-only, so the tracker and the dashboard can import it without pulling server code in.
 */

/** 4xx/5xx body: a stable machine code and a human sentence. */
export interface ApiError {
  error: string;
  message: string;
}
