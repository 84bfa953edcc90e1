// What rendering produces: a complete member object and the hash of it.
import type {
  KubernetesObject,
  V1DeploymentSpec,
  V1ObjectMeta,
  V1ServiceSpec,
  V1StatefulSetSpec,
} from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import { DESIRED_HASH_ANNOTATION, shortHash } from '#gridfed/grid-api';

export interface MemberObjectMeta extends V1ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface MemberObjectOf<A extends string, K extends string, S> extends KubernetesObject {
  apiVersion: A;
  kind: K;
  metadata: MemberObjectMeta;
  spec: S;
}

export type MemberDeployment = MemberObjectOf<'apps/v1', 'Deployment', V1DeploymentSpec>;
export type MemberStatefulSet = MemberObjectOf<'apps/v1', 'StatefulSet', V1StatefulSetSpec>;
export type MemberService = MemberObjectOf<'v1', 'Service', V1ServiceSpec>;
export type MemberWorkload = MemberDeployment | MemberStatefulSet;
export type MemberObject = MemberWorkload | MemberService;

export interface RenderedObject<O extends MemberObject = MemberObject> {
  /** The full object, its `gridfed.io/desired-hash` annotation included. */
  object: O;
  /** 16 hex digits of sha256 over the object without that annotation. */
  hash: string;
}

const HASH_LENGTH = 16;

/**
 * The hash of `object` as rendered, ignoring any desired-hash annotation it carries, so a
 * rendered object hashes to its own annotation. Keys are sorted before hashing: the same
 * content always gives the same hash, whatever order its maps were built in.
 */
export function desiredHash(object: MemberObject): string {
  const annotations = { ...object.metadata.annotations };
  delete annotations[DESIRED_HASH_ANNOTATION];
  const hashed: object = { ...object, metadata: { ...object.metadata, annotations } };
  return shortHash(stringify(hashed), HASH_LENGTH);
}

/** `object` with its desired-hash annotation set, and that hash. */
export function withDesiredHash<O extends MemberObject>(object: O): RenderedObject<O> {
  const hash = desiredHash(object);
  const annotations = { ...object.metadata.annotations, [DESIRED_HASH_ANNOTATION]: hash };
  return { object: { ...object, metadata: { ...object.metadata, annotations } }, hash };
}
