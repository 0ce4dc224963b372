// Every exit code kubefedctl uses, with its meaning. The error reporter in cli.ts returns these
// codes, and every command's `--help` prints its "Exit codes:" section from this table. No imports.

/** The codes. A code's meaning depends on the command only where kubectl's does (diff). */
export const EXIT = {
  /** Success; for diff, no differences. */
  ok: 0,
  /** An error: invalid flags or input, or a failed request. */
  error: 1,
  /** propagate and render: some clusters or resources failed (the report says which). */
  partial: 2,
  /** propagate --wait: everything was written, but not every member object became ready before the deadline. */
  notReady: 3,
  /** diff: differences found (kubectl diff). */
  differences: 1,
  /** diff: an error (kubectl diff: any code above 1). */
  diffError: 2,
  /** Interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Terminated by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

/** The code the process leaves with after each signal it handles. */
export const SIGNAL_EXIT_CODES = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated } as const;

type ExitCodeRows = readonly (readonly [code: number, meaning: string])[];

/** What the codes mean, per kind of command: the rows of `--help`'s "Exit codes:" section. */
export const EXIT_CODE_MEANINGS = {
  /** The root command and every command without a set of its own. */
  default: [
    [EXIT.ok, 'success'],
    [EXIT.error, 'error (invalid flags or input, or a failed request)'],
  ],
  propagate: [
    [EXIT.ok, 'every change was applied (or nothing needed changing)'],
    [EXIT.error, 'invalid flags or input, or a fatal error; nothing was written for invalid input'],
    [EXIT.partial, 'some clusters or resources failed (see the report)'],
    [
      EXIT.notReady,
      'with --wait: every change was applied, but some objects were not ready by the deadline (see the report)',
    ],
  ],
  render: [
    [EXIT.ok, 'every object was rendered'],
    [EXIT.error, 'invalid flags or input'],
    [EXIT.partial, 'some objects could not be rendered for some clusters (see the warnings)'],
  ],
  diff: [
    [EXIT.ok, 'no differences'],
    [EXIT.differences, 'differences found'],
    [EXIT.diffError, 'an error (as kubectl diff: any code above 1)'],
  ],
} as const satisfies Record<string, ExitCodeRows>;

export type ExitCodeSet = keyof typeof EXIT_CODE_MEANINGS;

/** The "Exit codes:" section of `--help` for a set of codes, the signal codes last. */
export function exitCodesHelp(set: ExitCodeSet = 'default'): string {
  const rows = EXIT_CODE_MEANINGS[set].map(([code, meaning]) => `  ${code}  ${meaning}`);
  const signals =
    `  ${SIGNAL_EXIT_CODES.SIGINT}  interrupted (SIGINT, Ctrl-C); ${SIGNAL_EXIT_CODES.SIGTERM} terminated (SIGTERM). One line says what had been\n` +
    '       written; running the same command again converges';
  return `\nExit codes:\n${[...rows, signals].join('\n')}`;
}
