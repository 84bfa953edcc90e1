// How the list commands (`clusters`, `nodeunits`) print: a table as kubectl prints it, or the
// objects as a JSON or YAML List without managedFields (kubectl leaves them out too).
import Table from 'cli-table3';
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

interface Listed {
  metadata: { name?: string; managedFields?: unknown };
}

/** `items` sorted by name, in `format`; `table` renders the sorted items as a table. */
export function formatList<T extends Listed>(items: T[], format: OutputFormat, table: (sorted: T[]) => string): string {
  const sorted = items
    .map((item) => {
      const metadata = { ...item.metadata };
      delete metadata.managedFields;
      return { ...item, metadata };
    })
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  switch (format) {
    case 'json':
      return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: sorted }, null, 2)}\n`;
    case 'yaml':
      return stringify({ apiVersion: 'v1', kind: 'List', items: sorted });
    case 'table':
      return table(sorted);
  }
}

/** Borderless and uncoloured, like kubectl: easy to read and to parse with awk. */
export function plainTable(head: readonly string[], rows: string[][]): string {
  const blank = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '' };
  const edges = { 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '' };
  const table = new Table({
    head: [...head],
    chars: { ...blank, ...edges, right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
