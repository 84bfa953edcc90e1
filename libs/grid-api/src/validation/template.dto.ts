// What a template needs before it can become a member workload. Anything else in it is a
// Kubernetes spec the member's apiserver validates, so unknown fields pass.
// class-validator runs a field's checks from the lowest decorator up, and validateDto stops at
// the first failure: the most basic check (present, right type) sits lowest.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isPlainObject } from './grid-errors.js';
import { notAnObject, shown } from './messages.js';

/** True when a selector has a non-empty matchLabels or matchExpressions. */
export function hasSelectorTerms(selector: unknown): boolean {
  if (!isPlainObject(selector)) return false;
  const { matchLabels, matchExpressions } = selector;
  const hasLabels = isPlainObject(matchLabels) && Object.keys(matchLabels).length > 0;
  const hasExpressions = Array.isArray(matchExpressions) && matchExpressions.length > 0;
  return hasLabels || hasExpressions;
}

function HasSelectorTerms(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'hasSelectorTerms',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        // An empty selector is rejected by the apiserver: the workload would claim every pod.
        message: 'must have matchLabels or matchExpressions that the pod template labels satisfy',
        ...options,
      },
      validator: { validate: hasSelectorTerms },
    });
  };
}

export class LabelSelectorDto {
  @IsObject({ message: notAnObject })
  @IsOptional()
  matchLabels?: unknown;

  @IsArray({ message: ({ value }) => `must be a list, not ${shown(value)}` })
  @IsOptional()
  matchExpressions?: unknown;
}

export class PodSpecDto {
  @ArrayNotEmpty({ message: 'must list at least one container' })
  @IsArray({ message: ({ value }) => `must be a list of containers, not ${shown(value)}` })
  @IsDefined({ message: 'is required: list at least one container' })
  containers!: unknown;
}

export class PodTemplateDto {
  @IsObject({ message: notAnObject })
  @IsOptional()
  metadata?: unknown;

  @ValidateNested()
  @Type(() => PodSpecDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: the pod spec, with its containers' })
  spec!: unknown;
}

/** A Deployment or StatefulSet spec: `spec.template` or a `templatePool` entry. */
export class WorkloadTemplateDto {
  // The CRD keeps templates as they are written: a string here would reach every member.
  @Min(0, { message: ({ value }) => `must be at least 0, not ${shown(value)}` })
  @IsInt({ message: ({ value }) => `must be a whole number, not ${shown(value)}` })
  @IsOptional()
  replicas?: unknown;

  @ValidateNested()
  @Type(() => LabelSelectorDto)
  @HasSelectorTerms()
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: a label selector (matchLabels) that the pod template labels satisfy' })
  selector!: unknown;

  @ValidateNested()
  @Type(() => PodTemplateDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: the pod template (metadata.labels and spec.containers)' })
  template!: unknown;
}

/** A ServiceGrid's `spec.template`: a Service spec. */
export class ServiceTemplateDto {
  @ArrayNotEmpty({ message: 'must list at least one port the Service serves' })
  @IsArray({ message: ({ value }) => `must be a list of ports, not ${shown(value)}` })
  @IsDefined({ message: 'is required: list at least one port the Service serves' })
  ports!: unknown;
}
