// kubectl-style tables: upper-case headers, columns padded to the widest cell, three spaces apart.

/** Formats rows under headers; cells are strings, missing cells print as "<none>". */
export function formatTable(headers: string[], rows: (string | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => headers.map((_, i) => r[i] ?? '<none>'))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]!)))
          .join('   ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** kubectl's age format: 45s, 12m, 3h, 2d. */
export function age(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
