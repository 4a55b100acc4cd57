import type { ApiError } from '../http/wire.ts';

export type { ApiError };

/** A refusal the caller can act on; routes turn it into `{error, message}` with its status. */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'AuthError';
  }

  toJSON(): ApiError {
    return { error: this.code, message: this.message };
  }
}
