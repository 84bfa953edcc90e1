// Wording shared by the DTO decorators and the cross-field checks.

/** A value as it appears inside a message: strings quoted, everything else as JSON. */
export function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

export function notAnObject({ value }: { value: unknown }): string {
  return `must be an object, not ${shown(value)}`;
}
