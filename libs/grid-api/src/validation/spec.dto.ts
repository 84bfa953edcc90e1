// The grid specs: the fields gridfed reads itself. Templates are checked in template.dto.ts.
// class-validator runs a field's checks from the lowest decorator up, and validateDto stops at
// the first failure: the most basic check (present, right type) sits lowest.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmpty,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import type { ReplicasManagedBy } from '../types.js';
import { notAnObject, shown } from './messages.js';
import { IsLabelKey } from './label-key.js';
import { RolloutStrategyDto } from './rollout.dto.js';
import { ServiceTemplateDto } from './template.dto.js';

const REPLICAS_OWNERS: readonly ReplicasManagedBy[] = ['grid', 'member'];
const UNIQ_KEY_HINT = 'the node label key that groups nodes into NodeUnits, e.g. zone';
const notOnServiceGrid =
  'is not supported on a ServiceGrid (only DeploymentGrid and StatefulSetGrid have it): remove it';

/** `gridUniqKey`: a node label key. Shared with SiteConfig, which picks NodeUnits the same way. */
export abstract class UniqKeyedSpecDto {
  @IsLabelKey()
  @IsNotEmpty({ message: `must not be empty: set it to ${UNIQ_KEY_HINT}` })
  @IsString({ message: ({ value }) => `must be a string (${UNIQ_KEY_HINT}), not ${shown(value)}` })
  @IsDefined({ message: `is required: ${UNIQ_KEY_HINT}` })
  gridUniqKey!: unknown;
}

/** What every grid spec has; used alone when the kind is unknown. */
export class GridSpecDto extends UniqKeyedSpecDto {
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: the workload spec each NodeUnit gets' })
  template!: unknown;
}

export class WorkloadGridSpecDto extends GridSpecDto {
  @IsObject({ message: ({ value }) => `must be a map of template name to workload spec, not ${shown(value)}` })
  @IsOptional()
  templatePool?: unknown;

  @IsObject({ message: ({ value }) => `must be a map of NodeUnit to templatePool name, not ${shown(value)}` })
  @IsOptional()
  templates?: unknown;

  @IsNotEmpty({ message: 'must not be empty: leave it out or set it to "default" to use spec.template' })
  @IsString({
    message: ({ value }) => `must name a templatePool entry, or be "default" for spec.template, not ${shown(value)}`,
  })
  @IsOptional()
  defaultTemplateName?: unknown;

  @IsBoolean({ message: ({ value }) => `must be true or false, not ${shown(value)}` })
  @IsOptional()
  autoDeleteUnusedTemplate?: unknown;

  @IsIn(REPLICAS_OWNERS, {
    message: ({ value }) =>
      `must be "grid" (the template sets replicas) or "member" (the member cluster does, e.g. an HPA), not ${shown(value)}`,
  })
  @IsOptional()
  replicasManagedBy?: unknown;

  @ValidateNested()
  @Type(() => RolloutStrategyDto)
  @IsObject({ message: notAnObject })
  @IsOptional()
  rolloutStrategy?: unknown;
}

export class ServiceGridSpecDto extends UniqKeyedSpecDto {
  @ValidateNested()
  @Type(() => ServiceTemplateDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: the Service spec each NodeUnit gets' })
  template!: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  templatePool?: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  templates?: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  defaultTemplateName?: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  autoDeleteUnusedTemplate?: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  replicasManagedBy?: unknown;

  @IsEmpty({ message: notOnServiceGrid })
  rolloutStrategy?: unknown;
}
