// Runs class-validator on a DTO and turns its error tree into field errors with full paths.
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { joinPath, type GridFieldError } from './grid-errors.js';

/** Every structural problem of `plain` as a `cls`, with paths under `basePath`. */
export function validateDto<T extends object>(
  cls: ClassConstructor<T>,
  plain: Record<string, unknown>,
  basePath: string,
): GridFieldError[] {
  const instance = plainToInstance(cls, plain);
  // One message per field: a missing field is "required", not also "must be a string".
  return flatten(validateSync(instance, { stopAtFirstError: true, forbidUnknownValues: true }), basePath);
}

function flatten(errors: ValidationError[], basePath: string, inList = false): GridFieldError[] {
  return errors.flatMap((error) => {
    // An item of a list (`waves[0]`), or a field or map key (`spec.templates.zone1`).
    const path = inList ? `${basePath}[${error.property}]` : joinPath(basePath, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path, Array.isArray(error.value))];
  });
}
