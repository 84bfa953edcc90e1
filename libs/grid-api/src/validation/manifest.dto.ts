// The envelope every grid shares: apiVersion, kind, metadata, and that a spec exists.
// class-validator runs a field's checks from the lowest decorator up, and validateDto stops at
// the first failure: the most basic check (present, right type) sits lowest.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Equals, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { GRID_API_VERSION } from '../keys.js';
import { GRID_KINDS } from '../types.js';
import { notAnObject, shown } from './messages.js';

export class GridMetadataDto {
  @IsNotEmpty({ message: 'must not be empty: every grid needs a name' })
  @IsString({ message: ({ value }) => `must be a string, not ${shown(value)}` })
  @IsDefined({ message: 'is required: every grid needs a name' })
  name!: unknown;

  @IsString({ message: ({ value }) => `must be a string, not ${shown(value)}` })
  @IsOptional()
  namespace?: unknown;
}

export class GridManifestDto {
  @Equals(GRID_API_VERSION, { message: ({ value }) => `must be ${GRID_API_VERSION}, not ${shown(value)}` })
  @IsDefined({ message: `is required: set it to ${GRID_API_VERSION}` })
  apiVersion!: unknown;

  @IsIn(GRID_KINDS, { message: ({ value }) => `must be one of ${GRID_KINDS.join(', ')}, not ${shown(value)}` })
  @IsDefined({ message: `is required: set it to one of ${GRID_KINDS.join(', ')}` })
  kind!: unknown;

  @ValidateNested()
  @Type(() => GridMetadataDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: every grid needs metadata with a name' })
  metadata!: unknown;

  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: a grid needs gridUniqKey and template' })
  spec!: unknown;
}
