// Kubernetes label keys (`zone`, `topology.kubernetes.io/zone`): what `gridUniqKey` must be.
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { MAX_LABEL, MAX_SUBDOMAIN } from '../names.js';

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a label key, or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'it may hold at most one "/" (prefix/name)';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined) {
    if (prefix.length > MAX_SUBDOMAIN || !DNS_SUBDOMAIN.test(prefix)) {
      return `the prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lowercase letters, digits, "-" and ".", at most ${MAX_SUBDOMAIN} characters)`;
    }
  }
  if (!name) return 'the name after the prefix is empty';
  if (name.length > MAX_LABEL)
    return `the name ${JSON.stringify(name)} is ${name.length} characters, over ${MAX_LABEL}`;
  if (!LABEL_NAME.test(name)) {
    return `the name ${JSON.stringify(name)} must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

export function isValidLabelKey(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

/** class-validator decorator: the property is a string that is a valid label key. */
export function IsLabelKey(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isLabelKey',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: ({ value }: ValidationArguments) =>
          `${JSON.stringify(value)} is not a valid node label key: ${labelKeyProblem(String(value)) ?? ''}`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidLabelKey(value) },
    });
  };
}
