// Typed errors. Commands throw these; only src/cli.ts turns them into text and an exit code.

/** Exit codes shared by every command (documented in `--help`). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;

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

/** The output was already printed; just leave with this code (e.g. `diff` exiting 1 on changes). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Returns the message of anything thrown, for wrapping and logging. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
