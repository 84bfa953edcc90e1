// Reading the hub's Prometheus text and Redis' INFO: parsing and sums. Pure.

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

type LabelFilter = (labels: Record<string, string>) => boolean;

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$/;

/** Every sample of a Prometheus text exposition; comments and blank lines skipped. */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`metrics: cannot read line "${line}"`);
    const [, name, labelText, valueText] = match;
    samples.push({ name: name!, labels: parseLabels(labelText ?? ''), value: parseValue(valueText!) });
  }
  return samples;
}

/** Go's ParseFloat rules, as Prometheus reads them: NaN and Inf in any case (prom-client writes "Nan"). */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`metrics: "${text}" is not a sample value`);
  return value;
}

/** `{a="x",b="y \\"q\\""}` into a record; values may hold escaped quotes, backslashes and newlines. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const body = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  let at = 0;
  while (body.slice(at).trim() !== '') {
    pair.lastIndex = at;
    const match = pair.exec(body);
    if (!match) throw new Error(`metrics: cannot read labels "${text}"`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = pair.lastIndex;
  }
  return labels;
}

export function sumMetric(samples: readonly MetricSample[], name: string, where: LabelFilter = () => true): number {
  return samples.filter((s) => s.name === name && where(s.labels)).reduce((sum, s) => sum + s.value, 0);
}

/** How much a counter grew between two scrapes (summed over the samples `where` keeps). */
export function counterDelta(
  before: readonly MetricSample[],
  after: readonly MetricSample[],
  name: string,
  where: LabelFilter = () => true,
): number {
  return sumMetric(after, name, where) - sumMetric(before, name, where);
}

/** Growth of a counter per value of one label (or of several, joined by spaces), zero entries left out. */
export function counterDeltaBy(
  before: readonly MetricSample[],
  after: readonly MetricSample[],
  name: string,
  label: string | readonly string[],
  where: LabelFilter = () => true,
): Record<string, number> {
  const names = typeof label === 'string' ? [label] : label;
  const keyOf = (l: Record<string, string>): string => names.map((n) => l[n] ?? '').join(' ');
  const values = new Set(after.filter((s) => s.name === name).map((s) => keyOf(s.labels)));
  const deltas: Record<string, number> = {};
  for (const value of [...values].sort()) {
    const delta = counterDelta(before, after, name, (l) => keyOf(l) === value && where(l));
    if (delta !== 0) deltas[value] = delta;
  }
  return deltas;
}

/** Requests that only read: everything else the hub sends is a write. */
const READ_METHODS = new Set(['GET', 'HEAD', 'LIST', 'WATCH']);

export function isWriteMethod(method: string | undefined): boolean {
  return !READ_METHODS.has((method ?? '').toUpperCase());
}

/** Redis' INFO reply (`field:value` lines under `# Section` headers) into a record. */
export function parseRedisInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
