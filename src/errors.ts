// Typed errors. Commands throw these; only src/cli.ts turns them into text and an exit code
// (the codes and their meanings are in exit-codes.ts).

/** Bad flags or arguments. The message is followed by a pointer to the command's help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Invalid input documents or configuration; each issue names where it is (file, object, field). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: string[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An error that has a plain explanation and, optionally, what the user can do about it. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Leave with this code (one of exit-codes.ts). Without a cause the output was already printed, e.g.
 * `diff` exiting 1 on changes; with one, the cause is reported as any error is, and the code replaces
 * the usual 1, e.g. `diff` exiting 2 on an error as kubectl diff does.
 */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(
    readonly code: number,
    override readonly cause?: unknown,
  ) {
    super(`exit ${code}`, cause === undefined ? undefined : { cause });
  }
}

/** Returns the message of anything thrown, for wrapping and logging. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
