// What a kube-apiserver does with a custom object against a CRD's structural schema, as far as
// examples need it, without an apiserver: type, required, enum, minimum and pattern errors, and
// every field the schema does not declare (the apiserver would prune it, so the object would not
// apply unchanged). Used by unit specs; the e2e suites check the same on a real apiserver.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JsonSchema };
}

export interface Crd {
  metadata: { name: string };
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

export function loadCrd(path: string): Crd {
  return parse(readFileSync(path, 'utf8')) as Crd;
}

/** The served version of `crd` that `apiVersion` (`group/version`) names, or undefined. */
export function servedVersion(crd: Crd, apiVersion: string): CrdVersion | undefined {
  const [group, version] = apiVersion.split('/');
  if (group !== crd.spec.group) return undefined;
  return crd.spec.versions.find((v) => v.name === version && v.served);
}

/** Every way `value` breaks `schema`, as `path: problem`; empty when the apiserver takes it unchanged. */
export function schemaErrors(value: unknown, schema: JsonSchema, path = ''): string[] {
  const typeError = wrongType(value, schema);
  if (typeError) return [`${path || '<root>'}: ${typeError}`];
  const here = path || '<root>';
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${here}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(`${here}: ${value} is below ${schema.minimum}`);
  }
  if (typeof value === 'string') errors.push(...stringErrors(value, schema, here));
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items as JsonSchema, `${path}[${i}]`)));
  }
  if (isObject(value)) errors.push(...objectErrors(value, schema, path));
  return errors;
}

function wrongType(value: unknown, schema: JsonSchema): string | undefined {
  const ok: Record<string, (v: unknown) => boolean> = {
    object: isObject,
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    integer: Number.isInteger,
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
  };
  if (!schema.type || ok[schema.type]?.(value)) return undefined;
  return `must be ${schema.type}, not ${JSON.stringify(value)}`;
}

function stringErrors(value: string, schema: JsonSchema, here: string): string[] {
  const errors: string[] = [];
  if (schema.minLength !== undefined && value.length < schema.minLength)
    errors.push(`${here}: shorter than ${schema.minLength}`);
  if (schema.pattern && !new RegExp(schema.pattern).test(value))
    errors.push(`${here}: does not match ${schema.pattern}`);
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${here}: is not a date-time`);
  return errors;
}

function objectErrors(value: Record<string, unknown>, schema: JsonSchema, path: string): string[] {
  const join = (key: string) => (path ? `${path}.${key}` : key);
  const errors = (schema.required ?? []).filter((key) => !(key in value)).map((key) => `${join(key)}: is required`);
  for (const [key, field] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    const additional = schema.additionalProperties;
    // metadata is ObjectMeta, the apiserver's own business rather than the CRD's.
    if (declared) errors.push(...(path === '' && key === 'metadata' ? [] : schemaErrors(field, declared, join(key))));
    else if (typeof additional === 'object') errors.push(...schemaErrors(field, additional, join(key)));
    else if (additional !== true && !schema['x-kubernetes-preserve-unknown-fields']) {
      errors.push(`${join(key)}: is not in the schema (the apiserver would prune it)`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
