const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Created on first use: building an Intl formatter loads locale data (about 30 ms), too much for activation.
let relative: Intl.RelativeTimeFormat | undefined;

/** relativeTime says how long ago a date was, in words ("3 minutes ago", "yesterday", "just now"). */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) < size) continue;
    relative ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    return relative.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** formatDuration prints milliseconds for people: "850 ms", "4.2 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** plural writes "1 migration", "3 migrations". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** migrationLabel is how a migration is named in messages: version and description. */
export function migrationLabel(migration: { version: string; description: string }): string {
  return migration.version ? `${migration.version} ${migration.description}` : migration.description;
}
