// spec.rolloutStrategy of a DeploymentGrid or StatefulSetGrid: gridfed's addition, so
// every field is optional and a grid without it behaves as SuperEdge's. Cross-field
// rules (one of nodeUnits or percent per wave, ...) are in rollout-checks.ts.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import type { RolloutFailurePolicy, RolloutType } from '../types.js';
import { shown } from './messages.js';

export const ROLLOUT_TYPES: readonly RolloutType[] = ['All', 'Progressive'];
export const FAILURE_POLICIES: readonly RolloutFailurePolicy[] = ['Rollback', 'Pause'];

const wholeNumber =
  (min: number) =>
  ({ value }: { value: unknown }) =>
    `must be a whole number >= ${min}, not ${shown(value)}`;

export class RolloutWaveDto {
  @IsString({ each: true, message: ({ value }) => `must list NodeUnit names (strings), not ${shown(value)}` })
  @ArrayNotEmpty({ message: 'must name at least one NodeUnit' })
  @IsArray({ message: ({ value }) => `must be a list of NodeUnit names, not ${shown(value)}` })
  @IsOptional()
  nodeUnits?: unknown;

  @Max(100, { message: ({ value }) => `must be at most 100 (percent of all NodeUnits), not ${shown(value)}` })
  @Min(1, { message: ({ value }) => `must be at least 1 (percent of all NodeUnits), not ${shown(value)}` })
  @IsInt({ message: ({ value }) => `must be a whole number of percent (1..100), not ${shown(value)}` })
  @IsOptional()
  percent?: unknown;
}

/** A positive whole number, or a percentage "1%".."100%" (Kubernetes' IntOrString). */
export function parseMaxUnavailable(value: unknown): { count: number } | { percent: number } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? { count: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,3})%$/.exec(value);
  const percent = match ? Number(match[1]) : NaN;
  return percent >= 1 && percent <= 100 ? { percent } : undefined;
}

function IsMaxUnavailable(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isMaxUnavailable', validator: { validate: (value: unknown) => parseMaxUnavailable(value) !== undefined } },
    options,
  );
}

export class RolloutStrategyDto {
  @IsIn(ROLLOUT_TYPES, {
    message: ({ value }) => `must be "All" (every NodeUnit at once) or "Progressive" (in waves), not ${shown(value)}`,
  })
  @IsOptional()
  type?: unknown;

  @ValidateNested({ each: true })
  @Type(() => RolloutWaveDto)
  @IsObject({
    each: true,
    message: ({ value }) => `must list waves ({nodeUnits: [...]} or {percent: N}), not ${shown(value)}`,
  })
  @IsArray({ message: ({ value }) => `must be a list of waves, not ${shown(value)}` })
  @IsOptional()
  waves?: unknown;

  @IsMaxUnavailable({
    message: ({ value }) => `must be a whole number >= 1 or a percentage like "20%", not ${shown(value)}`,
  })
  @IsOptional()
  maxUnavailableNodeUnits?: unknown;

  @Min(0, { message: wholeNumber(0) })
  @IsInt({ message: wholeNumber(0) })
  @IsOptional()
  minReadySeconds?: unknown;

  @Min(1, { message: wholeNumber(1) })
  @IsInt({ message: wholeNumber(1) })
  @IsOptional()
  progressDeadlineSeconds?: unknown;

  @IsBoolean({ message: ({ value }) => `must be true or false, not ${shown(value)}` })
  @IsOptional()
  paused?: unknown;

  @IsIn(FAILURE_POLICIES, {
    message: ({ value }) => `must be "Rollback" or "Pause", not ${shown(value)}`,
  })
  @IsOptional()
  onFailure?: unknown;

  @Min(0, { message: wholeNumber(0) })
  @IsInt({ message: wholeNumber(0) })
  @IsOptional()
  revisionHistoryLimit?: unknown;
}
