/** EXIT is the CLI's exit code contract. */
export const EXIT = { ok: 0, failure: 1, usage: 2, findings: 3 } as const;
