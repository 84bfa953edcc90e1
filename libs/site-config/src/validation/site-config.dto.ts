// The SiteConfig manifest as class-validator DTOs: envelope, spec, values and Secret references.
// Cross-field rules (data only on ConfigMaps, secretRefs only on Secrets, key syntax) are in
// value-checks.ts. class-validator runs a field's checks from the lowest decorator up, and
// validateDto stops at the first failure: the most basic check (present, right type) sits lowest.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { GRIDFED_API_VERSION, notAnObject, shown, UniqKeyedSpecDto } from '#gridfed/grid-api';
import { SITE_CONFIG_KIND, SITE_CONFIG_TYPES } from '../types.js';

const mustBeString = ({ value }: { value: unknown }): string => `must be a string, not ${shown(value)}`;

export class SecretKeyRefDto {
  @IsNotEmpty({ message: 'must not be empty: name a Secret in the SiteConfig namespace of the control cluster' })
  @IsString({ message: mustBeString })
  @IsDefined({ message: 'is required: the Secret, in the SiteConfig namespace of the control cluster' })
  name!: unknown;

  @IsNotEmpty({ message: 'must not be empty: leave it out to take every key of the Secret' })
  @IsString({ message: mustBeString })
  @IsOptional()
  key?: unknown;
}

export class SiteConfigValuesDto {
  @IsObject({ message: ({ value }) => `must be a map of key to value, not ${shown(value)}` })
  @IsOptional()
  data?: unknown;

  @ValidateNested({ each: true })
  @Type(() => SecretKeyRefDto)
  @IsObject({ each: true, message: ({ value }) => `must list objects {name, key?}, not ${shown(value)}` })
  @IsArray({ message: ({ value }) => `must be a list of Secret references {name, key?}, not ${shown(value)}` })
  @IsOptional()
  secretRefs?: unknown;
}

export class SiteConfigSpecDto extends UniqKeyedSpecDto {
  @IsIn(SITE_CONFIG_TYPES, {
    message: ({ value }) => `must be ${SITE_CONFIG_TYPES.join(' or ')} (what each NodeUnit gets), not ${shown(value)}`,
  })
  @IsOptional()
  type?: unknown;

  @IsString({ each: true, message: ({ value }) => `must list keys (strings), not ${shown(value)}` })
  @IsArray({ message: ({ value }) => `must be a list of keys every NodeUnit must have, not ${shown(value)}` })
  @IsOptional()
  required?: unknown;

  @ValidateNested()
  @Type(() => SiteConfigValuesDto)
  @IsObject({ message: notAnObject })
  @IsOptional()
  defaults?: unknown;

  // Each entry is checked with SiteConfigValuesDto in value-checks.ts: a map has no fixed fields.
  @IsObject({ message: ({ value }) => `must be a map of NodeUnit to its values, not ${shown(value)}` })
  @IsOptional()
  nodeUnits?: unknown;
}

export class SiteConfigMetadataDto {
  @IsNotEmpty({ message: 'must not be empty: the copies are named after the SiteConfig' })
  @IsString({ message: mustBeString })
  @IsDefined({ message: 'is required: the copies are named after the SiteConfig' })
  name!: unknown;

  @IsString({ message: mustBeString })
  @IsOptional()
  namespace?: unknown;
}

export class SiteConfigManifestDto {
  @Equals(GRIDFED_API_VERSION, { message: ({ value }) => `must be ${GRIDFED_API_VERSION}, not ${shown(value)}` })
  @IsDefined({ message: `is required: set it to ${GRIDFED_API_VERSION}` })
  apiVersion!: unknown;

  @Equals(SITE_CONFIG_KIND, { message: ({ value }) => `must be ${SITE_CONFIG_KIND}, not ${shown(value)}` })
  @IsDefined({ message: `is required: set it to ${SITE_CONFIG_KIND}` })
  kind!: unknown;

  @ValidateNested()
  @Type(() => SiteConfigMetadataDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: a SiteConfig needs metadata with a name' })
  metadata!: unknown;

  @ValidateNested()
  @Type(() => SiteConfigSpecDto)
  @IsObject({ message: notAnObject })
  @IsDefined({ message: 'is required: a SiteConfig needs gridUniqKey and its values' })
  spec!: unknown;
}
