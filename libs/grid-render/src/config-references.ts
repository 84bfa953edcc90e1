// Every place a pod spec names a ConfigMap or Secret by name: volumes, projected volume
// sources, envFrom and env[].valueFrom, in containers and initContainers.
import type { V1Container, V1PodSpec, V1Volume } from '@kubernetes/client-node';
import type { WorkloadGrid } from '#gridfed/grid-api';

export type ConfigKind = 'ConfigMap' | 'Secret';

/** A key the pod needs from the object: `env[0].valueFrom.configMapKeyRef.key`, `volumes[0].configMap.items[1].key`. */
export interface ReferencedKey {
  key: string;
  path: string;
}

/** One reference: what it names, where (for messages), and how to point it elsewhere. */
export interface ConfigReference {
  kind: ConfigKind;
  name: string;
  /** Relative to the pod spec: `volumes[0].configMap.name`. */
  path: string;
  /** Keys the pod takes from it; none means every key. */
  keys: ReferencedKey[];
  /** `optional: true`: the pod starts without the object or its keys. */
  optional: boolean;
  point(name: string): void;
}

/** The fields of a reference Kubernetes reads besides its name. */
interface Holder {
  key?: string;
  items?: { key: string }[];
  optional?: boolean;
}

/** A holder whose `field` is the referenced name; absent holders and names give no reference. */
function reference<H extends Holder, F extends keyof H & string>(
  kind: ConfigKind,
  holder: H | undefined,
  field: F,
  path: string,
): ConfigReference[] {
  const name = holder?.[field];
  if (!holder || typeof name !== 'string' || name === '') return [];
  const point = (to: string): void => void Object.assign(holder, { [field]: to });
  const keys = holder.key !== undefined ? [{ key: holder.key, path: `${path}.key` }] : [];
  const items = (holder.items ?? []).map((item, i) => ({ key: item.key, path: `${path}.items[${i}].key` }));
  return [
    { kind, name, path: `${path}.${field}`, keys: [...keys, ...items], optional: holder.optional === true, point },
  ];
}

export function configReferences(podSpec: V1PodSpec): ConfigReference[] {
  return [
    ...(podSpec.volumes ?? []).flatMap((volume, i) => volumeReferences(volume, `volumes[${i}]`)),
    ...containerListReferences(podSpec.initContainers, 'initContainers'),
    ...containerListReferences(podSpec.containers, 'containers'),
  ];
}

function volumeReferences(volume: V1Volume, path: string): ConfigReference[] {
  const sources = volume.projected?.sources ?? [];
  return [
    ...reference('ConfigMap', volume.configMap, 'name', `${path}.configMap`),
    ...reference('Secret', volume.secret, 'secretName', `${path}.secret`),
    ...sources.flatMap((source, j) => {
      const at = `${path}.projected.sources[${j}]`;
      return [
        ...reference('ConfigMap', source.configMap, 'name', `${at}.configMap`),
        ...reference('Secret', source.secret, 'name', `${at}.secret`),
      ];
    }),
  ];
}

function containerListReferences(containers: V1Container[] | undefined, field: string): ConfigReference[] {
  return (containers ?? []).flatMap((container, i) => containerReferences(container, `${field}[${i}]`));
}

function containerReferences(container: V1Container, path: string): ConfigReference[] {
  return [
    ...(container.envFrom ?? []).flatMap((source, j) => [
      ...reference('ConfigMap', source.configMapRef, 'name', `${path}.envFrom[${j}].configMapRef`),
      ...reference('Secret', source.secretRef, 'name', `${path}.envFrom[${j}].secretRef`),
    ]),
    ...(container.env ?? []).flatMap((variable, j) => [
      ...reference(
        'ConfigMap',
        variable.valueFrom?.configMapKeyRef,
        'name',
        `${path}.env[${j}].valueFrom.configMapKeyRef`,
      ),
      ...reference('Secret', variable.valueFrom?.secretKeyRef, 'name', `${path}.env[${j}].valueFrom.secretKeyRef`),
    ]),
  ];
}

/** Every reference of a grid's pod templates, the base template's and each templatePool entry's. */
export function gridConfigReferences(grid: WorkloadGrid): ConfigReference[] {
  const specs = [grid.spec.template, ...Object.values(grid.spec.templatePool ?? {})];
  const podSpecs = specs.flatMap((s): V1PodSpec[] => (s?.template?.spec ? [s.template.spec] : []));
  return podSpecs.flatMap((spec) => configReferences(spec));
}
